package io.harbinger.launcher.demo;

import io.harbinger.schema.Alert;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the pipeline's outputs into a {@link DemoTimeline}: {@code harbinger.alerts}, {@code harbinger.gomap.trends}
 * and {@code harbinger.syscall.latency}, every partition from the beginning, committed records only (the services
 * write with exactly-once), no consumer group.
 */
final class DemoObserver implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<Alert> alerts;
    private final Deserializer<MapKey> trendKeys;
    private final Deserializer<MapTrend> trends;
    private final DemoTimeline timeline;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long undecodable;

    DemoObserver(Map<String, Object> clientConfig, DemoTimeline timeline) {
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "harbinger-demo-observer");
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.alerts = TopicSpecs.ALERTS.valueSerde(clientConfig).deserializer();
        this.trendKeys = TopicSpecs.GOMAP_TRENDS.keySerde(clientConfig).deserializer();
        this.trends = TopicSpecs.GOMAP_TRENDS.valueSerde(clientConfig).deserializer();
        this.timeline = timeline;
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(TopicSpecs.ALERTS.name(), TopicSpecs.GOMAP_TRENDS.name(),
                TopicSpecs.SYSCALL_LATENCY.name())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        this.thread = new Thread(this::run, "demo-observer");
        thread.setDaemon(true);
        thread.start();
    }

    long undecodable() {
        return undecodable;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        if (r.topic().equals(TopicSpecs.ALERTS.name())) {
                            timeline.onAlert(alerts.deserialize(r.topic(), r.value()));
                        } else if (r.topic().equals(TopicSpecs.GOMAP_TRENDS.name())) {
                            timeline.onTrend(trendKeys.deserialize(r.topic(), r.key()),
                                    r.value() == null ? null : trends.deserialize(r.topic(), r.value()));
                        } else {
                            timeline.onLatencyWindow();
                        }
                    } catch (RuntimeException e) {
                        undecodable++;
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
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
