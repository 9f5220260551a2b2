package io.harbinger.platform.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The private cluster variants the reliability work needs: three brokers, and a SASL_PLAINTEXT listener. */
class ClusterVariantsIT {

    @Test
    void threeBrokersReplicateAndSurviveTheLossOfOne() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.single().withBrokers(3))) {
            System.out.printf("3-broker cluster ready in %d ms%n", kafka.startTime().toMillis());
            assertEquals(3, kafka.admin().describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            kafka.admin().createTopics(List.of(new NewTopic("replicated", 2, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            // the broker that answers may not have the new topic's metadata yet ("does not host this topic-partition")
            java.util.List<org.apache.kafka.common.TopicPartitionInfo> partitions = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); partitions == null; ) {
                try {
                    partitions = kafka.admin().describeTopics(List.of("replicated")).allTopicNames()
                            .get(30, TimeUnit.SECONDS).get("replicated").partitions();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                            || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
            partitions.forEach(p -> assertEquals(3, p.replicas().size()));

            Map<String, Object> p = new HashMap<>(kafka.clientConfig());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>("replicated", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            int victim = kafka.testKit().brokers().keySet().iterator().next();
            kafka.testKit().brokers().get(victim).shutdown();
            kafka.testKit().brokers().get(victim).awaitShutdown();
            // Read without a consumer group: the group's coordinator may have been on the stopped broker, and under
            // load its move ("This server does not host this topic-partition") outlasted the read; not this test's point.
            List<ConsumerRecord<String, String>> got = new java.util.ArrayList<>();
            try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(kafka.clientConfig(),
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.StringDeserializer())) {
                List<org.apache.kafka.common.TopicPartition> tps = partitions.stream()
                        .map(pi -> new org.apache.kafka.common.TopicPartition("replicated", pi.partition())).toList();
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (got.size() < 50 && System.nanoTime() < deadline) {
                    consumer.poll(java.time.Duration.ofMillis(200)).forEach(got::add);
                }
            }
            assertEquals(50, got.size(), "records readable with one of three brokers down");
        }
    }

    @Test
    void saslPlaintextListenerAuthenticatesUsers() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.single().withSaslPlaintext())) {
            System.out.printf("SASL_PLAINTEXT cluster ready in %d ms%n", kafka.startTime().toMillis());
            assertEquals(1, kafka.admin().describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            Map<String, Object> wrong = new HashMap<>(kafka.saslClientConfig(EmbeddedKafkaCluster.SASL_USER, "not-the-password"));
            try (Admin bad = Admin.create(wrong)) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> bad.describeCluster().nodes().get(30, TimeUnit.SECONDS));
                assertInstanceOf(SaslAuthenticationException.class, e.getCause());
            }
        }
    }
}
