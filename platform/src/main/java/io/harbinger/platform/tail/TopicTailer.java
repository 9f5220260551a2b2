package io.harbinger.platform.tail;

import io.harbinger.jsonl.JsonlWriter;
import io.harbinger.platform.KafkaReachability;
import io.harbinger.serde.GenericAvroDeserializer;
import io.harbinger.topics.Topics;
import io.harbinger.topics.TopicSpecs;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a topic's Avro values through the registry and prints them as JSON lines: raw events exactly in the
 * JSONL recording format (so {@code tail} of a replayed recording gives the recording back), every other record as
 * Avro's JSON rendering of it. Reads all partitions with no consumer group. A record that cannot be decoded is
 * reported on the error stream with its partition and offset, counted, and skipped.
 */
public final class TopicTailer {

    /** @param printed records printed; @param skipped records that could not be decoded */
    public record Result(long printed, long skipped) {}

    private final TailConfig config;
    private volatile boolean stopped;

    public TopicTailer(TailConfig config) {
        this.config = config;
    }

    /** Ends {@link #run} after the current poll (e.g. from a shutdown hook on Ctrl-C). */
    public void stop() {
        stopped = true;
    }

    public Result run(Writer out, PrintWriter err) {
        KafkaReachability.requireTopic(config.clientConfig(), config.topic(), Duration.ofSeconds(10));
        boolean rawEvents = config.topic().equals(Topics.SYSCALL_EVENTS) || config.topic().equals(Topics.GOMAP_EVENTS);
        Deserializer<? extends SpecificRecord> raw = null;
        GenericAvroDeserializer generic = new GenericAvroDeserializer();
        if (config.topic().equals(Topics.SYSCALL_EVENTS)) {
            raw = TopicSpecs.SYSCALL_EVENTS.valueSerde(config.clientConfig()).deserializer();
        } else if (config.topic().equals(Topics.GOMAP_EVENTS)) {
            raw = TopicSpecs.GOMAP_EVENTS.valueSerde(config.clientConfig()).deserializer();
        } else {
            generic.configure(config.clientConfig(), false);
        }
        long printed = 0;
        long skipped = 0;
        long max = config.max().orElse(Long.MAX_VALUE);
        long idleNanos = config.idleTimeout().map(Duration::toNanos).orElse(Long.MAX_VALUE);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             JsonlWriter jsonl = new JsonlWriter(nonClosing(out))) {
            List<TopicPartition> partitions = consumer.partitionsFor(config.topic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            if (config.fromBeginning()) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long lastRecord = System.nanoTime();
            while (!stopped && printed < max && System.nanoTime() - lastRecord < idleNanos) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    lastRecord = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (printed >= max) {
                        break;
                    }
                    try {
                        if (rawEvents) {
                            jsonl.write(raw.deserialize(r.topic(), r.value()));
                        } else {
                            jsonl.flush();
                            Object value = generic.deserialize(r.topic(), r.value());
                            out.write(value == null ? "null" : GenericData.get().toString(value));
                            out.write('\n');
                        }
                        printed++;
                    } catch (SerializationException e) {
                        skipped++;
                        err.println("skipped " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
                    }
                }
                jsonl.flush();
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (raw != null) {
                raw.close();
            }
            generic.close();
        }
        return new Result(printed, skipped);
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>(config.clientConfig());
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "harbinger-tail");
        c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return c;
    }

    /** The caller owns {@code out} (stdout): closing the JSONL writer must not close it. */
    private static Writer nonClosing(Writer out) {
        return new java.io.FilterWriter(out) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
