package io.harbinger.collector;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * {@code harbinger record}: how long, where, and which process names (empty: all).
 * Unsampled, both probe sets, the collector's own syscalls excluded.
 */
public record RecordConfig(Duration duration, Path out, Set<String> comms, CollectorSettings base) {
    public RecordConfig {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--seconds must be positive");
        }
        comms = Set.copyOf(comms);
    }

    public static RecordConfig of(int seconds, Path out, Set<String> comms) {
        return of(seconds, out, comms, true);
    }

    /** @param goMaps watch Go maps too (needs more privileges than syscalls: docs/collector.md) */
    public static RecordConfig of(int seconds, Path out, Set<String> comms, boolean goMaps) {
        CollectorSettings d = CollectorSettings.defaults();
        return new RecordConfig(Duration.ofSeconds(seconds), out, comms, new CollectorSettings(d.host(),
                d.syscallsEnabled(), d.syscalls(), goMaps, d.goMaps(), d.queueCapacity(), d.mapQueueCapacity(),
                d.ringPollMs()));
    }

    /** The settings with --comm applied to both syscall capture and Go discovery. */
    public CollectorSettings settings() {
        CollectorSettings b = base;
        return new CollectorSettings(b.host(), b.syscallsEnabled(), b.syscalls().withComms(comms), b.goMapsEnabled(),
                new io.harbinger.collector.gomap.GoMapWatcher.Options(comms, b.goMaps().pollInterval(),
                        b.goMaps().scanInterval(), b.goMaps().maxMaps()),
                b.queueCapacity(), b.mapQueueCapacity(), b.ringPollMs());
    }
}
