package io.harbinger.collector;

import io.harbinger.collector.gomap.GoMapWatcher;
import io.harbinger.collector.syscall.SyscallProbeOptions;

/**
 * What to run, shared by {@code record} and {@code collector}.
 *
 * @param host              host name on events (blank: the kernel's)
 * @param syscallsEnabled   load the syscall-latency probe
 * @param syscalls          its options
 * @param goMapsEnabled     watch Go maps
 * @param goMaps            watcher options
 * @param queueCapacity     syscall events buffered between the ring-buffer reader and the sink (power of two)
 * @param mapQueueCapacity  Go-map snapshots buffered likewise
 * @param ringPollMs        ring-buffer drain timer
 */
public record CollectorSettings(String host, boolean syscallsEnabled, SyscallProbeOptions syscalls,
                                boolean goMapsEnabled, GoMapWatcher.Options goMaps, int queueCapacity,
                                int mapQueueCapacity, int ringPollMs) {
    public CollectorSettings {
        if (queueCapacity < 2 || Integer.bitCount(queueCapacity) != 1) {
            throw new IllegalArgumentException("queue capacity must be a power of two >= 2, got " + queueCapacity);
        }
        if (mapQueueCapacity < 1) {
            throw new IllegalArgumentException("map queue capacity must be >= 1, got " + mapQueueCapacity);
        }
        if (ringPollMs < 1 || ringPollMs > 1000) {
            throw new IllegalArgumentException("ring poll interval must be 1-1000 ms, got " + ringPollMs);
        }
        if (!syscallsEnabled && !goMapsEnabled) {
            throw new IllegalArgumentException("nothing to collect: both syscalls and Go maps are disabled");
        }
    }

    public static CollectorSettings defaults() {
        return new CollectorSettings("", true, SyscallProbeOptions.defaults(), true, GoMapWatcher.Options.defaults(),
                1 << 18, 10_000, 10);
    }
}
