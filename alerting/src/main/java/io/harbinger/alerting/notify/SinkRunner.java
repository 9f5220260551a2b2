package io.harbinger.alerting.notify;

import io.harbinger.schema.Alert;
import io.harbinger.schema.DeadLetter;
import io.harbinger.serde.DeadLetters;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feeds one {@link HttpSink} from {@code harbinger.alerts}: its own consumer group
 * ({@code <application.id>-sink-<name>}), committed transactions only, offsets committed after delivery (at least
 * once; PagerDuty and Alertmanager receivers dedup by key). The topic is the contract: a sink sees exactly what
 * incident tooling sees. An undecodable record goes to {@code harbinger.deadletter} and is skipped.
 */
public final class SinkRunner implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SinkRunner.class);
    /** Client settings a sink consumer must not inherit from the Streams config. */
    private static final Set<String> NOT_FOR_CONSUMER = Set.of("application.id", "processing.guarantee",
            "state.dir", "default.deserialization.exception.handler", "deserialization.exception.handler",
            "processing.exception.handler", "application.server", "num.stream.threads", "commit.interval.ms");

    private final HttpSink sink;
    private final KafkaConsumer<String, Alert> consumer;
    private final Map<String, Object> clientConfig;
    private final String group;
    private volatile boolean running = true;
    private KafkaProducer<byte[], byte[]> deadLetterProducer;

    /**
     * @param kafka         the service's Kafka configuration (security settings pass through)
     * @param applicationId names the consumer group
     * @param startAt       "latest" (default: a new sink does not page for history) or "earliest"
     */
    public SinkRunner(HttpSink sink, Map<String, Object> kafka, String applicationId, String startAt) {
        this.sink = sink;
        this.group = applicationId + "-sink-" + sink.config().name();
        Map<String, Object> c = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (!NOT_FOR_CONSUMER.contains(k)) {
                c.put(k, v);
            }
        });
        this.clientConfig = Map.copyOf(c);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startAt);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
        Serde<Alert> alertSerde = TopicSpecs.ALERTS.valueSerde(c);
        Serde<String> keySerde = TopicSpecs.ALERTS.keySerde(c);
        this.consumer = new KafkaConsumer<>(c, keySerde.deserializer(), alertSerde.deserializer());
    }

    public String group() {
        return group;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.ALERTS));
            while (running) {
                ConsumerRecords<String, Alert> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (RecordDeserializationException e) {
                    deadLetter(e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, Alert> r : records) {
                    sink.deliver(r.value());
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
            if (deadLetterProducer != null) {
                deadLetterProducer.close(Duration.ofSeconds(5));
            }
        }
    }

    private void deadLetter(RecordDeserializationException e) {
        DeadLetter letter = DeadLetters.of(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(),
                e.timestamp(), bytes(e.keyBuffer()), bytes(e.valueBuffer()), e, group);
        log.warn("sink {}: dead-lettering {}-{}@{}: {}", sink.config().name(), e.topicPartition().topic(),
                e.topicPartition().partition(), e.offset(), letter.getReason());
        if (deadLetterProducer == null) {
            Map<String, Object> p = new HashMap<>(clientConfig);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, group + "-deadletter");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            deadLetterProducer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        byte[] value = TopicSpecs.DEADLETTER.valueSerde(clientConfig).serializer().serialize(Topics.DEADLETTER, letter);
        try {
            deadLetterProducer.send(new ProducerRecord<>(Topics.DEADLETTER, bytes(e.keyBuffer()), value)).get();
        } catch (Exception sendFailed) {
            log.error("sink {}: cannot dead-letter {}@{}: {}", sink.config().name(), e.topicPartition(), e.offset(),
                    sendFailed.getMessage());
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
