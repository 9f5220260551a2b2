package io.harbinger.topics;

import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallKey;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts every record about one subject - a syscall series (host, comm, syscall) or a Go map (host, pid, map_addr) -
 * into the partition the collector's producer gave that subject on its raw-event topic: murmur2 of the subject's
 * key as serialized for {@code harbinger.syscall.events} / {@code harbinger.gomap.events}, modulo the partition
 * count, exactly as Kafka's default partitioner does.
 *
 * <p>Why: the latency windows are keyed per window and the trend topic's keys carry another schema id, so by
 * default one subject's records spread over partitions (windows) or one partition mixes the output of several
 * upstream tasks (trends). After a backlog - a restart, an outage, a replay - the alerting service then saw a
 * series' windows out of order (each late one dropped as OUT_OF_ORDER) and subjects far apart in event time in one
 * partition (a lagging one resolved as STALE by the partition's stream time, then fired again). Partitioned like
 * this, partition p of every downstream topic carries exactly the subjects of raw partition p, in the order the
 * upstream task processed them, when the partition counts are equal (they are: {@link Topics#ALL}); with other
 * counts each subject still stays in one partition.
 */
public final class SubjectPartitioner {
    private SubjectPartitioner() {}

    /** For topics keyed by a syscall series: the partition of that series on harbinger.syscall.events. */
    public static <V> StreamPartitioner<SyscallKey, V> bySeries(Map<String, ?> serdeConfig) {
        Serializer<SyscallKey> raw = TopicSpecs.SYSCALL_EVENTS.keySerde(serdeConfig).serializer();
        return (topic, key, value, n) -> key == null ? Optional.empty()
                : one(raw.serialize(Topics.SYSCALL_EVENTS, key), n);
    }

    /** For harbinger.syscall.latency: each window goes where its series' raw events are. */
    public static <V> StreamPartitioner<LatencyWindowKey, V> byWindowSeries(Map<String, ?> serdeConfig) {
        StreamPartitioner<SyscallKey, V> series = bySeries(serdeConfig);
        return (topic, key, value, n) -> key == null ? Optional.empty()
                : series.partitions(topic, new SyscallKey(key.getHost(), key.getComm(), key.getSyscall()), value, n);
    }

    /** For topics keyed by a Go map: the partition of that map on harbinger.gomap.events. */
    public static <V> StreamPartitioner<MapKey, V> byMap(Map<String, ?> serdeConfig) {
        Serializer<MapKey> raw = TopicSpecs.GOMAP_EVENTS.keySerde(serdeConfig).serializer();
        return (topic, key, value, n) -> key == null ? Optional.empty()
                : one(raw.serialize(Topics.GOMAP_EVENTS, key), n);
    }

    /** Kafka's default partitioner for a serialized key. */
    public static int partition(byte[] serializedKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(serializedKey)) % partitions;
    }

    private static Optional<Set<Integer>> one(byte[] serializedKey, int partitions) {
        return Optional.of(Set.of(partition(serializedKey, partitions)));
    }
}
