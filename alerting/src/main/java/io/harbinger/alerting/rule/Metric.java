package io.harbinger.alerting.rule;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The metrics a rule can watch (CONTRACTS.md, "Alert rules"), each tied to the kind of subject it describes. */
public enum Metric {
    /** len(map) of one Go map, from {@code harbinger.gomap.trends}. */
    GOMAP_COUNT("gomap.count", Subject.Kind.MAP),
    /** count / (8 * 2^B). */
    GOMAP_LOAD_FACTOR("gomap.load_factor", Subject.Kind.MAP),
    /** overflow_buckets / 2^B: the collision rate. */
    GOMAP_OVERFLOW_RATIO("gomap.overflow_ratio", Subject.Kind.MAP),
    /** P99 syscall latency of one (host, comm, syscall) window, from {@code harbinger.syscall.latency}. */
    SYSCALL_P99_NS("syscall.p99_ns", Subject.Kind.LATENCY),
    /** errors / count of one (host, comm, syscall) window. */
    SYSCALL_ERROR_RATE("syscall.error_rate", Subject.Kind.LATENCY);

    private final String id;
    private final Subject.Kind subjectKind;

    Metric(String id, Subject.Kind subjectKind) {
        this.id = id;
        this.subjectKind = subjectKind;
    }

    /** The name rules use, e.g. {@code gomap.count}. */
    public String id() {
        return id;
    }

    public Subject.Kind subjectKind() {
        return subjectKind;
    }

    public static Optional<Metric> byId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    /** The metric names, comma-separated, for error messages. */
    public static String ids() {
        return Arrays.stream(values()).map(Metric::id).collect(Collectors.joining(", "));
    }
}
