package io.harbinger.streams.dashboard;

import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feeds {@link MapHistory} from {@code harbinger.gomap.trends}: every partition assigned (no consumer group, nothing
 * committed), from the beginning, committed records only. One thread; records that do not decode are skipped and
 * counted.
 */
final class MapHistoryFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MapHistoryFeed.class);
    /** Client settings that belong to Streams or to the processor, not to a plain consumer. */
    private static final Set<String> NOT_FOR_CONSUMER = Set.of("application.id", "processing.guarantee", "state.dir",
            "application.server", "num.standby.replicas", "default.deserialization.exception.handler",
            "deserialization.exception.handler", "processing.exception.handler", "commit.interval.ms");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<MapKey> keys;
    private final Deserializer<MapTrend> values;
    private final MapHistory history;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long skipped;

    MapHistoryFeed(Map<String, Object> clientConfig, MapHistory history) {
        Map<String, Object> c = new HashMap<>();
        clientConfig.forEach((k, v) -> {
            if (!NOT_FOR_CONSUMER.contains(k) && !k.startsWith("harbinger.")) {
                c.put(k, v);
            }
        });
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "harbinger-dashboard-map-history-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.keys = TopicSpecs.GOMAP_TRENDS.keySerde(clientConfig).deserializer();
        this.values = TopicSpecs.GOMAP_TRENDS.valueSerde(clientConfig).deserializer();
        this.history = history;
        this.thread = new Thread(this::run, "dashboard-map-history");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long skipped() {
        return skipped;
    }

    private void run() {
        String topic = TopicSpecs.GOMAP_TRENDS.name();
        try {
            List<TopicPartition> parts = List.of();
            while (running && parts.isEmpty()) {
                try {
                    parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList();
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    log.debug("dashboard: {} not found yet", topic);
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        MapKey k = keys.deserialize(topic, r.key());
                        MapTrend v = r.value() == null ? null : values.deserialize(topic, r.value());
                        history.add(k, v);
                    } catch (RuntimeException e) {
                        if (skipped++ == 0) {
                            log.warn("dashboard: skipped an undecodable trend at {}-{}@{}: {}", topic, r.partition(),
                                    r.offset(), e.toString());
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                log.warn("dashboard: map history feed stopped: {}", e.toString());
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
