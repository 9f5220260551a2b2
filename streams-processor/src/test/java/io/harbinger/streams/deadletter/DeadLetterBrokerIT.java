package io.harbinger.streams.deadletter;

import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.DeadLetter;
import io.harbinger.schema.SyscallKey;
import io.harbinger.streams.app.StreamsService;
import io.harbinger.streams.app.StreamsServiceConfig;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Garbage bytes on both raw topics of the real in-JVM broker, read by the real streams service with the real
 * registry: each arrives on harbinger.deadletter (read committed) with its topic, partition, offset, original bytes
 * and reason, and the service keeps running.
 */
class DeadLetterBrokerIT {
    @Test
    void garbageOnRawTopicsIsDeadLetteredByTheRunningService(@TempDir Path dir) throws Exception {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.shared();
        String registry = TestSchemaRegistry.shared().url();
        kafka.createHarbingerTopics();
        String run = "dl" + System.nanoTime();
        byte[][] garbage = {
                ("not avro " + run).getBytes(StandardCharsets.UTF_8),
                {0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3},   // unknown schema id (behind a plain-text key)
                {0, 0, 0},                               // shorter than the header
        };
        // Keys are checked before values: the truncated value gets a well-formed key, so it is the value that fails
        byte[] goodKey = TopicSpecs.SYSCALL_EVENTS.keySerde(Map.of("schema.registry.url", registry)).serializer()
                .serialize(TopicSpecs.SYSCALL_EVENTS.name(), new SyscallKey(run, "dl", "read"));
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.clientConfig(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < garbage.length; i++) {
                String topic = i == 1 ? TopicSpecs.GOMAP_EVENTS.name() : TopicSpecs.SYSCALL_EVENTS.name();
                byte[] key = i == 2 ? goodKey : (run + i).getBytes(StandardCharsets.UTF_8);
                sent.add(p.send(new ProducerRecord<>(topic, key, garbage[i])).get());
            }
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, run);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put("schema.registry.url", registry);
        props.put(StreamsServiceConfig.HTTP_PORT, "0");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        kafka.clientConfig().forEach(props::putIfAbsent);

        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, run + "-check");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put("schema.registry.url", registry);
        List<DeadLetter> mine = new ArrayList<>();
        try (StreamsService service = new StreamsService(StreamsServiceConfig.from(props, dir));
             KafkaConsumer<byte[], DeadLetter> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                     TopicSpecs.DEADLETTER.valueSerde(c).deserializer())) {
            service.start();
            consumer.subscribe(List.of(TopicSpecs.DEADLETTER.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (mine.size() < garbage.length && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], DeadLetter> r : consumer.poll(Duration.ofMillis(500))) {
                    if (run.equals(r.value().getConsumer())) {
                        mine.add(r.value());
                    }
                }
            }
            assertTrue(service.streams().state().isRunningOrRebalancing(), "the service carries on");
        }
        assertEquals(garbage.length, mine.size(), "every garbage record dead-lettered exactly once: " + mine);
        mine.sort((x, y) -> x.getReason().compareTo(y.getReason()));
        for (DeadLetter d : mine) {
            byte[] value = new byte[d.getValue().remaining()];
            d.getValue().duplicate().get(value);
            int i = Arrays.asList(garbage).indexOf(Arrays.stream(garbage).filter(g -> Arrays.equals(g, value))
                    .findFirst().orElseThrow(() -> new AssertionError("original bytes not kept: " + d)));
            assertEquals(sent.get(i).topic(), d.getTopic());
            assertEquals(sent.get(i).partition(), d.getPartition());
            assertEquals(sent.get(i).offset(), d.getOffset());
            // plain-text keys fail first (both topologies decode keys); the well-formed key lets the value fail
            String expected = i == 2 ? "TRUNCATED" : "UNKNOWN_MAGIC_BYTE";
            assertTrue(d.getReason().startsWith(expected), d.getReason());
            assertEquals(run, d.getConsumer());
        }
    }
}
