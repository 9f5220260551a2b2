package io.harbinger.topics;

import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallKey;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Downstream records of a subject land in the partition Kafka's default partitioner gave its raw events. */
class SubjectPartitionerTest {
    static final Map<String, Object> CONFIG = Map.of(TopicSpecs.SERDE_FORMAT, "avro-binary");

    @Test
    void everyWindowOfASeriesGoesWhereItsRawEventsAre() {
        var windows = SubjectPartitioner.<Object>byWindowSeries(CONFIG);
        var series = SubjectPartitioner.<Object>bySeries(CONFIG);
        var keys = TopicSpecs.SYSCALL_EVENTS.keySerde(CONFIG).serializer();
        for (int i = 0; i < 200; i++) {
            SyscallKey k = new SyscallKey("host-" + (i % 7), "comm-" + i, i % 2 == 0 ? "read" : "write");
            int raw = BuiltInPartitioner.partitionForKey(keys.serialize(Topics.SYSCALL_EVENTS, k), 6);
            assertEquals(Optional.of(Set.of(raw)), series.partitions("any", k, null, 6));
            for (long start = 0; start < 5 * 60_000; start += 60_000) {
                assertEquals(Optional.of(Set.of(raw)), windows.partitions(Topics.SYSCALL_LATENCY,
                        new LatencyWindowKey(k.getHost(), k.getComm(), k.getSyscall(), start), null, 6));
            }
        }
    }

    @Test
    void aMapsTrendsGoWhereItsSnapshotsAre() {
        var maps = SubjectPartitioner.<Object>byMap(CONFIG);
        var keys = TopicSpecs.GOMAP_EVENTS.keySerde(CONFIG).serializer();
        for (int i = 0; i < 200; i++) {
            MapKey k = new MapKey("host-" + (i % 5), 1000 + i, 0xc000010000L + 4096L * i);
            int raw = BuiltInPartitioner.partitionForKey(keys.serialize(Topics.GOMAP_EVENTS, k), 3);
            assertEquals(Optional.of(Set.of(raw)), maps.partitions(Topics.GOMAP_TRENDS, k, null, 3));
        }
        assertEquals(Optional.empty(), maps.partitions(Topics.GOMAP_TRENDS, null, null, 3));
    }
}
