package io.harbinger.platform.testing;

import io.harbinger.topics.Topics;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedKafkaClusterIT {

    @Test
    void sharedClusterIsStartedOnceAndHasEveryHarbingerTopic() throws Exception {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.shared();
        assertSame(kafka, EmbeddedKafkaCluster.shared());
        System.out.printf("shared embedded Kafka ready in %d ms at %s%n", kafka.startTime().toMillis(), kafka.bootstrapServers());

        Set<String> names = Topics.ALL.stream().map(Topics.TopicDefinition::name).collect(Collectors.toSet());
        Map<String, TopicDescription> described = kafka.admin().describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
        for (Topics.TopicDefinition t : Topics.ALL) {
            assertEquals(t.partitions(), described.get(t.name()).partitions().size(), t.name());
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, t.name());
            String policy = kafka.admin().describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS)
                    .get(resource).get("cleanup.policy").value();
            assertEquals(t.compacted() ? "compact" : "delete", policy, t.name());
        }
        assertEquals(List.of(), kafka.createHarbingerTopics(), "creating again is a no-op");
    }

    @Test
    void producedRecordsComeBackWithKeysValuesAndTimestamps() {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.shared();
        String topic = "harness-roundtrip";
        kafka.createTopic(topic, 3);
        int n = 500;
        Map<String, Object> p = new HashMap<>(kafka.clientConfig());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, null, 1_700_000_000_000L + i, "k" + (i % 7), "v" + i));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, String>> got = consumeAll(kafka.clientConfig(), topic, n);
        assertEquals(n, got.size());
        Map<String, ConsumerRecord<String, String>> byValue = got.stream()
                .collect(Collectors.toMap(ConsumerRecord::value, r -> r));
        for (int i = 0; i < n; i++) {
            ConsumerRecord<String, String> r = byValue.get("v" + i);
            assertEquals("k" + (i % 7), r.key());
            assertEquals(1_700_000_000_000L + i, r.timestamp());
        }
        // one key, one partition: per-key order is kept
        List<String> k0 = got.stream().filter(r -> r.key().equals("k0")).map(ConsumerRecord::value).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i += 7) {
            expected.add("v" + i);
        }
        assertEquals(expected, k0);
    }

    static List<ConsumerRecord<String, String>> consumeAll(Map<String, Object> client, String topic, int expected) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "harness-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        assertTrue(got.size() >= expected, "consumed " + got.size() + " of " + expected);
        return got;
    }
}
