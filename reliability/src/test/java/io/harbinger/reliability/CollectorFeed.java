package io.harbinger.reliability;

import com.kenai.jffi.MemoryIO;
import io.harbinger.collector.bpf.LibC;
import io.harbinger.collector.enrich.BootClock;
import io.harbinger.collector.enrich.SyscallTable;
import io.harbinger.collector.publish.EventPump;
import io.harbinger.collector.publish.KafkaPublishing;
import io.harbinger.collector.publish.KafkaSink;
import io.harbinger.collector.publish.SyscallRing;
import io.harbinger.collector.syscall.SyscallEventLayout;
import io.harbinger.schema.SyscallEvent;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The collector's real publishing path without the kernel: each syscall event is written as a native
 * {@code struct syscall_event} and offered to the {@link SyscallRing} exactly as the ring-buffer reader does (never
 * waiting: a full ring is a counted drop), Go-map snapshots go to {@link EventPump#offerGoMap}, and the publisher
 * thread enriches, encodes and sends them through {@link KafkaPublishing#sink} (idempotent, acks=all) to the real
 * broker and registry. The books are the collector's own: produced, delivered, dropped.
 */
final class CollectorFeed implements AutoCloseable {
    private final MemoryIO mem = MemoryIO.getInstance();
    private final long record = mem.allocateMemory(SyscallEventLayout.SIZE, true);
    private final BootClock clock = new BootClock(LibC.load());
    private final SyscallRing ring = new SyscallRing(1 << 18);
    private final KafkaSink sink;
    private final EventPump pump;
    private boolean closed;

    CollectorFeed(Map<String, Object> kafka) {
        this.sink = KafkaPublishing.sink(kafka);
        this.pump = new EventPump(ring, 10_000, sink, Workload.HOST, clock, SyscallTable.forHost()).start();
    }

    /** Offers one syscall event as the ring-buffer reader would: the kernel's boot-time clock, raw fields. */
    void offer(SyscallEvent e) {
        mem.putLong(record + SyscallEventLayout.TS_BOOT_NS, e.getTsNs() - clock.offsetNs());
        mem.putLong(record + SyscallEventLayout.LATENCY_NS, e.getLatencyNs());
        mem.putLong(record + SyscallEventLayout.RET, e.getRet());
        mem.putLong(record + SyscallEventLayout.CGROUP_ID, e.getCgroupId());
        mem.putInt(record + SyscallEventLayout.PID, e.getPid());
        mem.putInt(record + SyscallEventLayout.TID, e.getTid());
        mem.putInt(record + SyscallEventLayout.SYSCALL_NR, e.getSyscallNr());
        mem.putInt(record + SyscallEventLayout.SAMPLE_WEIGHT, e.getSampleWeight());
        byte[] comm = new byte[SyscallEventLayout.COMM_LEN];
        byte[] name = e.getComm().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(name, 0, comm, 0, Math.min(name.length, comm.length - 1));
        mem.putByteArray(record + SyscallEventLayout.COMM, comm, 0, comm.length);
        ring.offer(record);
    }

    void offer(Workload.Event e) {
        if (e.syscall() != null) {
            offer(e.syscall());
        } else {
            pump.offerGoMap(e.gomap());
        }
    }

    /**
     * Publishes {@code events} at about {@code perSecond}, calling {@code at} with the index before each one (to
     * inject a fault at a chosen point).
     */
    void publish(List<Workload.Event> events, int perSecond, java.util.function.IntConsumer at) {
        long t0 = System.nanoTime();
        for (int i = 0; i < events.size(); i++) {
            at.accept(i);
            offer(events.get(i));
            if ((i & 63) == 63) {
                long due = t0 + (long) ((i + 1) * (1e9 / perSecond));
                long now = System.nanoTime();
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                }
            }
        }
    }

    long produced() {
        return pump.produced();
    }

    long delivered() {
        return pump.delivered();
    }

    long dropped() {
        return pump.dropped();
    }

    /** Publishes what is queued, then waits (bounded) for every acknowledgement: the books are final after this. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pump.close();
            sink.close();
            mem.freeMemory(record);
        }
    }
}
