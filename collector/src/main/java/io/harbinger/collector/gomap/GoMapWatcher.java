package io.harbinger.collector.gomap;

import io.harbinger.collector.bpf.Bpf;
import io.harbinger.collector.bpf.BpfException;
import io.harbinger.collector.enrich.BootClock;
import io.harbinger.schema.GoMapEvent;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds Go processes (a /proc scan at start and on a timer, plus the exec tracepoint), attaches the growth
 * probes once per binary, and on a timer re-reads every map header the probes reported, emitting a
 * {@link GoMapEvent} whenever one changed. The target pays only at growth; deletions and shrinking are seen by
 * the re-reads. Runs on one thread; the ring-buffer thread only queues probe hits.
 */
public final class GoMapWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GoMapWatcher.class);

    public record Options(Set<String> comms, Duration pollInterval, Duration scanInterval, int maxMaps) {
        public Options {
            comms = Set.copyOf(comms);
            if (pollInterval.isNegative() || pollInterval.isZero() || scanInterval.isNegative() || scanInterval.isZero()) {
                throw new IllegalArgumentException("Go map poll and scan intervals must be positive");
            }
        }

        public static Options defaults() {
            return new Options(Set.of(), Duration.ofSeconds(1), Duration.ofSeconds(5), 10_000);
        }
    }

    private record Hit(int pid, int kind, long addr) {}

    private record Watched(int pid, String comm, GoBinary binary, ProcessMemory mem) {}

    private final GoMapProbe probe;
    private final Options options;
    private final String host;
    private final BootClock clock;
    private final Consumer<GoMapEvent> out;
    private final GoMapTracker tracker;
    private final BlockingQueue<Hit> hits = new ArrayBlockingQueue<>(65_536);
    private final Map<Integer, Watched> watched = new HashMap<>();
    private final Set<Integer> ignored = new HashSet<>();
    // binary identity (dev:inode) -> GoBinary, or the reason it cannot be probed
    private final Map<String, Object> binaries = new HashMap<>();
    private final Thread thread;
    private final AtomicLong hitsDropped = new AtomicLong();
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong refusedBinaries = new AtomicLong();
    private volatile int trackedMaps;
    private volatile long mapsDropped;
    private volatile long mapsEvicted;
    private volatile long mapsDiscovered;
    private volatile int goProcesses;
    private volatile boolean running = true;
    private long lastScan;

    private GoMapWatcher(GoMapProbe probe, Options options, String host, BootClock clock, Consumer<GoMapEvent> out) {
        this.probe = probe;
        this.options = options;
        this.host = host;
        this.clock = clock;
        this.out = out;
        this.tracker = new GoMapTracker(options.maxMaps());
        this.thread = new Thread(this::run, "harbinger-gomap");
        this.thread.setDaemon(true);
    }

    /**
     * Loads the probe, scans running processes and attaches to their Go binaries before returning, so a
     * caller knows every probe is in place; then watches on its own thread.
     */
    public static GoMapWatcher start(Bpf bpf, Options options, String host, BootClock clock,
                                     Consumer<GoMapEvent> out) {
        GoMapProbe probe = GoMapProbe.load(bpf);
        GoMapWatcher w = new GoMapWatcher(probe, options, host, clock, out);
        try {
            probe.startReader(w::onRecord, 20);
            w.scan();
            w.lastScan = System.nanoTime();
            w.thread.start();
            return w;
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    private void onRecord(long address, int size) {
        Hit h = new Hit(GoMapEventLayout.pid(address), GoMapEventLayout.kind(address), GoMapEventLayout.mapAddr(address));
        if (!hits.offer(h)) {
            hitsDropped.incrementAndGet();
        }
    }

    private void run() {
        long pollNs = options.pollInterval().toNanos();
        long scanNs = options.scanInterval().toNanos();
        long nextPoll = System.nanoTime();
        while (running) {
            try {
                long now = System.nanoTime();
                Hit h = hits.poll(Math.max(0, Math.min(nextPoll - now, 50_000_000L)), TimeUnit.NANOSECONDS);
                if (h != null) {
                    handle(h);
                    continue;
                }
                now = System.nanoTime();
                if (now - lastScan >= scanNs) {
                    scan();
                    lastScan = now;
                }
                if (now >= nextPoll) {
                    pollAll();
                    nextPoll = now + pollNs;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("Go map watcher: {}", e.getMessage(), e);
            }
        }
    }

    private void handle(Hit h) {
        if (h.kind() == GoMapEventLayout.KIND_EXEC) {
            forget(h.pid());
            ignored.remove(h.pid());
            consider(h.pid());
            return;
        }
        if (!watched.containsKey(h.pid()) && !ignored.contains(h.pid())) {
            consider(h.pid());
        }
        Watched w = watched.get(h.pid());
        if (w != null && h.addr() != 0) {
            tracker.discovered(h.pid(), h.addr());
            // read it now, while the growth is fresh (only it: a burst of growths must not re-read every map)
            pollMap(w, h.addr());
            publishCounts();
        }
    }

    /** One /proc pass: new processes are inspected, vanished ones forgotten. */
    void scan() {
        Set<Integer> alive = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.isEmpty() || !Character.isDigit(n.charAt(0))) {
                    continue;
                }
                int pid;
                try {
                    pid = Integer.parseInt(n);
                } catch (NumberFormatException e) {
                    continue;
                }
                alive.add(pid);
                if (!watched.containsKey(pid) && !ignored.contains(pid)) {
                    consider(pid);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot scan /proc: {}", e.getMessage());
            return;
        }
        ignored.retainAll(alive);
        for (Integer pid : Set.copyOf(watched.keySet())) {
            if (!alive.contains(pid)) {
                forget(pid);
            }
        }
        goProcesses = watched.size();
    }

    private void consider(int pid) {
        if (pid == ProcessHandle.current().pid()) {
            ignored.add(pid);
            return;
        }
        Path proc = Path.of("/proc", Integer.toString(pid));
        String comm;
        String identity;
        try {
            comm = Files.readString(proc.resolve("comm")).trim();
            if (!options.comms().isEmpty() && !options.comms().contains(comm)) {
                ignored.add(pid);
                return;
            }
            Path exe = proc.resolve("exe");
            identity = Files.getAttribute(exe, "unix:dev") + ":" + Files.getAttribute(exe, "unix:ino");
        } catch (IOException | RuntimeException e) {
            // kernel threads have no exe; a process may also be gone already
            ignored.add(pid);
            return;
        }
        Object b = binaries.get(identity);
        if (b == null) {
            b = inspect(pid, comm, proc.resolve("exe"));
            binaries.put(identity, b);
        }
        if (!(b instanceof GoBinary binary)) {
            ignored.add(pid);
            return;
        }
        try {
            watched.put(pid, new Watched(pid, comm, binary, new ProcessMemory(pid)));
            goProcesses = watched.size();
            LOG.info("watching Go maps of pid {} ({}, {}, {} layout)", pid, comm, binary.version(), binary.layout().name());
        } catch (IOException e) {
            LOG.warn("cannot read memory of Go process {} ({}): {}", pid, comm, e.getMessage());
            ignored.add(pid);
        }
    }

    private Object inspect(int pid, String comm, Path exe) {
        try {
            GoBinary binary = GoBinary.inspect(exe);
            // uprobes live on the inode: attach through this process's exe link, for every process running it
            probe.attach(binary, exe.toString());
            return binary;
        } catch (GoBinary.NotProbeableException e) {
            if (e.reason() == GoBinary.NotProbeableException.Reason.NOT_GO) {
                LOG.debug("pid {} ({}): {}", pid, comm, e.getMessage());
            } else {
                refusedBinaries.incrementAndGet();
                LOG.warn("pid {} ({}): {}", pid, comm, e.getMessage());
            }
            return e;
        } catch (BpfException e) {
            refusedBinaries.incrementAndGet();
            LOG.warn("pid {} ({}): {}", pid, comm, e.getMessage());
            return e;
        } catch (IOException e) {
            LOG.debug("pid {} ({}): cannot read binary: {}", pid, comm, e.getMessage());
            return e;
        }
    }

    private void pollAll() {
        for (Watched w : Set.copyOf(watched.values())) {
            pollPid(w);
        }
        publishCounts();
    }

    private void pollPid(Watched w) {
        if (tracker.tracked(w.pid()) == 0) {
            return;
        }
        if (!Files.exists(Path.of("/proc", Integer.toString(w.pid())))) {
            forget(w.pid());
            return;
        }
        tracker.poll(w.pid(), w.mem(), w.binary().layout(), (pid, addr, h, reused) -> snapshot(w, addr, h));
    }

    private void pollMap(Watched w, long addr) {
        tracker.poll(w.pid(), addr, w.mem(), w.binary().layout(), (pid, a, h, reused) -> snapshot(w, a, h));
    }

    private void snapshot(Watched w, long addr, MapHeader h) {
        snapshots.incrementAndGet();
        out.accept(new GoMapEvent(host, clock.toEpochNs(clock.bootNow()), w.pid(), w.comm(), addr,
                w.binary().version().text(), h.count(), h.log2Buckets(), h.overflowBuckets(), h.hash0()));
    }

    private void forget(int pid) {
        tracker.forget(pid);
        Watched w = watched.remove(pid);
        if (w != null) {
            try {
                w.mem().close();
            } catch (IOException e) {
                // closing a /proc file cannot lose data
            }
        }
        goProcesses = watched.size();
        publishCounts();
    }

    // the tracker belongs to the watcher thread; these are its counts for other threads
    private void publishCounts() {
        trackedMaps = tracker.tracked();
        mapsDropped = tracker.vanished() + tracker.forgotten();
        mapsEvicted = tracker.evicted();
        mapsDiscovered = tracker.discoveredMaps();
    }

    /** Maps ever discovered = tracked + evicted + dropped. */
    public long mapsDiscovered() {
        return mapsDiscovered;
    }

    /** Maps no longer tracked because their header stopped reading as a map or their process exited or exec'd. */
    public long mapsDropped() {
        return mapsDropped;
    }

    /** Maps evicted to stay within {@code maxMaps} (least recently discovered first). */
    public long mapsEvicted() {
        return mapsEvicted;
    }

    public int trackedMaps() {
        return trackedMaps;
    }

    public int goProcesses() {
        return goProcesses;
    }

    public long snapshots() {
        return snapshots.get();
    }

    public long growHits() {
        return probe.growHits();
    }

    public long kernelDrops() {
        return probe.kernelDrops() + hitsDropped.get();
    }

    public long attachFailures() {
        return probe.attachFailures();
    }

    public long refusedBinaries() {
        return refusedBinaries.get();
    }

    /** One last read of every tracked map (so a recording ends with the final state), then detach. */
    @Override
    public void close() {
        running = false;
        if (thread.getState() != Thread.State.NEW) {
            // no interrupt: it would close the /proc/PID/mem channels mid-read
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Hit h;
            while ((h = hits.poll()) != null) {
                handle(h);
            }
            pollAll();
        }
        for (Integer pid : Set.copyOf(watched.keySet())) {
            forget(pid);
        }
        probe.close();
    }
}
