package io.harbinger.collector;

import io.harbinger.collector.bpf.Bpf;
import io.harbinger.collector.bpf.Preflight;
import io.harbinger.collector.enrich.BootClock;
import io.harbinger.collector.enrich.HostIdentity;
import io.harbinger.collector.enrich.SyscallTable;
import io.harbinger.collector.gomap.GoMapWatcher;
import io.harbinger.collector.publish.EventPump;
import io.harbinger.collector.publish.EventSink;
import io.harbinger.collector.publish.SyscallRing;
import io.harbinger.collector.syscall.SyscallCounters;
import io.harbinger.collector.syscall.SyscallProbe;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running collector: probes attached, ring buffers drained, events enriched and handed to one sink.
 * {@link #start} attaches every probe before it asks for the sink (so a recording file appears only once
 * everything is in place); {@link #close} detaches first, drains what the kernel still holds, publishes the
 * rest and flushes: on SIGTERM/SIGINT (via the caller's shutdown hook), on error, or at the end of a recording.
 */
public final class Collector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

    private final CollectorSettings settings;
    private final String host;
    private SyscallProbe syscalls;
    private GoMapWatcher goMaps;
    private EventPump pump;
    private EventSink sink;
    private boolean closed;

    private Collector(CollectorSettings settings, String host) {
        this.settings = settings;
        this.host = host;
    }

    public static Collector start(CollectorSettings s, Supplier<EventSink> sinkFactory) {
        Bpf bpf = Preflight.check();
        if (s.goMapsEnabled()) {
            Preflight.checkGoMapPrivileges();
        }
        Collector c = new Collector(s, HostIdentity.resolve(s.host()));
        try {
            BootClock clock = new BootClock(bpf.libc());
            SyscallTable table = SyscallTable.forHost();
            SyscallRing ring = new SyscallRing(s.queueCapacity());
            if (s.syscallsEnabled()) {
                c.syscalls = SyscallProbe.attach(bpf, s.syscalls());
            }
            // the pump exists before the watcher so snapshots have somewhere to go; it starts with the sink
            EventPump[] pumpRef = new EventPump[1];
            if (s.goMapsEnabled()) {
                c.goMaps = GoMapWatcher.start(bpf, s.goMaps(), c.host, clock, e -> pumpRef[0].offerGoMap(e));
            }
            c.sink = sinkFactory.get();
            c.pump = new EventPump(ring, s.mapQueueCapacity(), c.sink, c.host, clock, table);
            pumpRef[0] = c.pump;
            c.pump.start();
            if (c.syscalls != null) {
                c.syscalls.startReader(ring::offerRecord, s.ringPollMs());
            }
            LOG.info("collector running on {}: syscalls {}, Go maps {}", c.host,
                    s.syscallsEnabled() ? "on" : "off", s.goMapsEnabled() ? "on" : "off");
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    public String host() {
        return host;
    }

    public CollectorStats stats() {
        SyscallCounters k = syscalls != null ? syscalls.counters() : SyscallCounters.NONE;
        return new CollectorStats(k.seen(), k.sampled(), k.submitted(), k.reserveFailed(),
                goMaps != null ? goMaps.kernelDrops() : 0,
                pump != null ? pump.produced() : 0, pump != null ? pump.delivered() : 0,
                pump != null ? pump.dropped() : 0,
                goMaps != null ? goMaps.trackedMaps() : 0, goMaps != null ? goMaps.goProcesses() : 0,
                goMaps != null ? goMaps.attachFailures() : 0, goMaps != null ? goMaps.snapshots() : 0,
                goMaps != null ? goMaps.mapsDropped() : 0, goMaps != null ? goMaps.mapsEvicted() : 0);
    }

    /** Growth-probe hits in traced Go programs (each costs the target one uprobe trap). */
    public long goMapGrowHits() {
        return goMaps != null ? goMaps.growHits() : 0;
    }

    /** The publisher's fatal error, if it stopped. */
    public Throwable failure() {
        return pump != null ? pump.failure() : null;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        // 1. detach and drain the kernel side
        if (syscalls != null) {
            try {
                syscalls.close();
            } catch (RuntimeException e) {
                first = e;
            }
        }
        if (goMaps != null) {
            try {
                goMaps.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        // 2. publish what is queued, flush, close the sink
        if (pump != null) {
            pump.close();
        }
        if (sink != null) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
