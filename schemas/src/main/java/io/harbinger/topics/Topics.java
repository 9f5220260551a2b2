package io.harbinger.topics;

import java.util.List;

/**
 * The Kafka topics of CONTRACTS.md with the partition counts Harbinger creates them with.
 * Names are the contract; partition counts are defaults that {@code harbinger up} and the test clusters use.
 */
public final class Topics {
    public static final String SYSCALL_EVENTS = "harbinger.syscall.events";
    public static final String GOMAP_EVENTS = "harbinger.gomap.events";
    public static final String SYSCALL_LATENCY = "harbinger.syscall.latency";
    public static final String GOMAP_TRENDS = "harbinger.gomap.trends";
    public static final String ALERTS = "harbinger.alerts";
    public static final String DEADLETTER = "harbinger.deadletter";
    /** Alert silences, compacted, keyed by silence id. */
    public static final String SILENCES = "harbinger.silences";

    /** A topic and how it is created. */
    public record TopicDefinition(String name, int partitions, boolean compacted) {}

    public static final List<TopicDefinition> ALL = List.of(
            new TopicDefinition(SYSCALL_EVENTS, 6, false),
            new TopicDefinition(GOMAP_EVENTS, 3, false),
            new TopicDefinition(SYSCALL_LATENCY, 6, false),
            new TopicDefinition(GOMAP_TRENDS, 3, true),
            new TopicDefinition(ALERTS, 3, false),
            new TopicDefinition(DEADLETTER, 1, false),
            new TopicDefinition(SILENCES, 1, true));

    private Topics() {}
}
