package io.harbinger.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.kenai.jffi.MemoryIO;
import io.harbinger.collector.syscall.SyscallEventLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SPSC hand-over: copies records field for field, refuses and counts when full, never blocks. */
class SyscallRingTest {
    static final MemoryIO MEM = MemoryIO.getInstance();

    static long record(int pid, String comm) {
        long e = MEM.allocateMemory(SyscallEventLayout.SIZE, true);
        MEM.putLong(e + SyscallEventLayout.TS_BOOT_NS, 1000 + pid);
        MEM.putLong(e + SyscallEventLayout.LATENCY_NS, 42);
        MEM.putLong(e + SyscallEventLayout.RET, -2);
        MEM.putLong(e + SyscallEventLayout.CGROUP_ID, 7);
        MEM.putInt(e + SyscallEventLayout.PID, pid);
        MEM.putInt(e + SyscallEventLayout.TID, pid + 1);
        MEM.putInt(e + SyscallEventLayout.SYSCALL_NR, 257);
        MEM.putInt(e + SyscallEventLayout.SAMPLE_WEIGHT, 3);
        byte[] c = comm.getBytes(StandardCharsets.UTF_8);
        MEM.putByteArray(e + SyscallEventLayout.COMM, c, 0, c.length);
        return e;
    }

    @Test
    void copiesEveryFieldAndCountsDropsWhenFull() {
        SyscallRing ring = new SyscallRing(4);
        long a = record(10, "postgres");
        long b = record(11, "nginx");
        for (int i = 0; i < 4; i++) {
            assertTrue(ring.offer(i % 2 == 0 ? a : b));
        }
        assertFalse(ring.offer(a));
        assertEquals(4, ring.accepted());
        assertEquals(1, ring.dropped());

        List<String> seen = new ArrayList<>();
        int n = ring.drain((ts, lat, ret, cg, pid, tid, nr, w, comm) ->
                seen.add(ts + "/" + lat + "/" + ret + "/" + cg + "/" + pid + "/" + tid + "/" + nr + "/" + w + "/" + comm), 10);
        assertEquals(4, n);
        assertEquals("1010/42/-2/7/10/11/257/3/postgres", seen.get(0));
        assertEquals("1011/42/-2/7/11/12/257/3/nginx", seen.get(1));
        assertTrue(ring.isEmpty());
        assertTrue(ring.offer(a), "room again after draining");
        MEM.freeMemory(a);
        MEM.freeMemory(b);
    }

    @Test
    void internsCommsWithoutCopies() {
        SyscallRing ring = new SyscallRing(8);
        long a = record(1, "svc");
        ring.offer(a);
        ring.offer(a);
        List<String> comms = new ArrayList<>();
        ring.drain((ts, lat, ret, cg, pid, tid, nr, w, comm) -> comms.add(comm), 8);
        assertTrue(comms.get(0) == comms.get(1), "same String instance for the same comm");
        MEM.freeMemory(a);
    }
}
