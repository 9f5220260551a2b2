package io.harbinger.collector.publish;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.serde.SpecificAvroSerializer;
import io.harbinger.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Builds the collector's Kafka sink: producer defaults, then the user's properties on top. */
public final class KafkaPublishing {
    private KafkaPublishing() {}

    /**
     * Producer defaults: idempotent, acks=all, lz4, 20 ms linger with 256 KiB batches, 64 MiB of buffer,
     * send() blocking the publisher thread at most 2 s when that buffer is full or metadata is missing, and
     * records given up after 2 min undelivered (each counted as dropped). Reconnects are the client's own.
     */
    public static Map<String, Object> producerDefaults() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "harbinger-collector");
        return p;
    }

    /** @param config producer and serde properties (Confluent names for the registry), over the defaults */
    public static KafkaSink sink(Map<String, Object> config) {
        Map<String, Object> p = producerDefaults();
        p.putAll(config);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        SpecificAvroSerializer<SyscallKey> sk = new SpecificAvroSerializer<>(SyscallKey.class);
        SpecificAvroSerializer<SyscallEvent> sv = new SpecificAvroSerializer<>(SyscallEvent.class);
        SpecificAvroSerializer<MapKey> mk = new SpecificAvroSerializer<>(MapKey.class);
        SpecificAvroSerializer<GoMapEvent> mv = new SpecificAvroSerializer<>(GoMapEvent.class);
        sk.configure(config, true);
        sv.configure(config, false);
        mk.configure(config, true);
        mv.configure(config, false);
        // the producer ignores the serde keys it does not know; strip them to keep its log quiet
        Map<String, Object> producerOnly = new HashMap<>(p);
        producerOnly.keySet().removeIf(k -> k.startsWith("schema.registry.") || k.startsWith("basic.auth.")
                || k.equals("auto.register.schemas") || k.equals("use.latest.version"));
        return new KafkaSink(new KafkaProducer<>(producerOnly), Topics.SYSCALL_EVENTS, Topics.GOMAP_EVENTS,
                sk, sv, mk, mv);
    }
}
