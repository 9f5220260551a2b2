package io.harbinger.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harbinger.collector.bpf.Bpf;
import io.harbinger.collector.bpf.Preflight;
import io.harbinger.collector.enrich.CommCache;
import io.harbinger.collector.enrich.SyscallTable;
import io.harbinger.collector.syscall.SyscallCounters;
import io.harbinger.collector.syscall.SyscallEventLayout;
import io.harbinger.collector.syscall.SyscallProbe;
import io.harbinger.collector.syscall.SyscallProbeOptions;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Real eBPF: the kernel stages events per CPU and writes them in batches. A batch that never fills must still
 * reach user space: by the flush timer while the probe runs, and by the close-time flush when the probe stops
 * first. The workload makes far fewer syscalls than a batch holds, so no batch fills.
 */
class SyscallBatchingIT {
    static final int GETPPID = 5;

    /** Counts the workload's getppid events in whatever records the ring buffer delivers. */
    static final class Counter {
        final int getppid = SyscallTable.forHost().number("getppid");
        final CommCache comms = new CommCache();
        final AtomicInteger seen = new AtomicInteger();
        final AtomicInteger events = new AtomicInteger();

        void onRecord(long address, int size) {
            for (int off = 0; off + SyscallEventLayout.SIZE <= size; off += SyscallEventLayout.SIZE) {
                long e = address + off;
                events.incrementAndGet();
                if (SyscallEventLayout.syscallNr(e) == getppid && comms.at(SyscallEventLayout.comm(e)).equals("hbwork_c")) {
                    seen.incrementAndGet();
                }
            }
        }
    }

    static SyscallProbeOptions options(long flushNs) {
        return SyscallProbeOptions.defaults().withComms(Set.of("hbwork_c")).withBatch(32, flushNs);
    }

    static void runWorkload(Path workload) throws Exception {
        Process p = new ProcessBuilder(workload.toString(), "" + GETPPID, "0", "0", "0").inheritIO().start();
        assertEquals(0, p.waitFor());
    }

    @Test
    void aPartlyFilledBatchArrivesByTheTimerWhileTheProbeRuns() throws Exception {
        Bpf bpf = Preflight.check();
        Path workload = Workloads.syscalls();
        Counter counter = new Counter();
        try (SyscallProbe probe = SyscallProbe.attach(bpf, options(5_000_000L))) {
            probe.startReader(counter::onRecord, 10);
            runWorkload(workload);
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (counter.seen.get() < GETPPID && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(GETPPID, counter.seen.get(), "getppid events delivered while attached");
            SyscallCounters k = probe.counters();
            assertEquals(0, k.timerErrors(), "flush timer errors");
            assertEquals(0, k.reserveFailed(), "kernel drops");
        }
    }

    @Test
    void closeFlushesWhatIsStillStaged() throws Exception {
        Bpf bpf = Preflight.check();
        Path workload = Workloads.syscalls();
        Counter counter = new Counter();
        SyscallCounters k;
        // a flush interval far beyond the test: only the close-time flush can deliver the batch
        try (SyscallProbe probe = SyscallProbe.attach(bpf, options(1_000_000_000L))) {
            probe.startReader(counter::onRecord, 10);
            long t0 = System.nanoTime();
            runWorkload(workload);
            Thread.sleep(50);
            assertEquals(0, counter.seen.get(), "nothing delivered before the timer or close");
            probe.close();
            assertTrue(System.nanoTime() - t0 < 900_000_000L, "closed before the timer could fire");
            k = probe.counters();
        }
        assertEquals(GETPPID, counter.seen.get(), "getppid events delivered by the close-time flush");
        assertEquals(k.submitted(), counter.events.get(), "every submitted event read");
        assertEquals(0, k.reserveFailed(), "kernel drops");
    }
}
