package io.harbinger.alerting;

import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.Alert;
import io.harbinger.schema.AlertSeverity;
import io.harbinger.schema.GrowthForecast;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka security settings pass through to every client of the service (Streams, the silence producer), tested
 * against a SASL_PLAINTEXT/PLAIN listener: with the right credentials alerts flow; with a wrong password the
 * service refuses to start with one clear line instead of hanging, and the password is not in its config's string.
 */
class AlertingSaslIT {
    static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void saslSettingsReachEveryClient() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(
                EmbeddedKafkaCluster.Options.single().withSaslPlaintext())) {
            kafka.createHarbingerTopics();
            Map<String, Object> client = new HashMap<>(kafka.clientConfig());
            client.put("schema.registry.url", TestSchemaRegistry.shared().url());

            Map<String, Object> k = new HashMap<>(client);
            k.put(StreamsConfig.APPLICATION_ID_CONFIG, "alerting-sasl-it");
            k.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("alerting-sasl").toString());
            k.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            AlertingConfig config = AlertingConfig.defaults(RuleFile.defaults()).withKafka(k)
                    .withHttp("127.0.0.1", 0, null);
            assertFalse(config.toString().contains(EmbeddedKafkaCluster.SASL_ADMIN_PASSWORD), config.toString());

            try (AlertingService s = AlertingService.start(config)) {
                assertTrue(s.awaitRunning(WAIT), "running over SASL");
                long t0 = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000L;
                try (KafkaProducer<MapKey, MapTrend> p = new KafkaProducer<>(client,
                        TopicSpecs.GOMAP_TRENDS.keySerde(client).serializer(),
                        TopicSpecs.GOMAP_TRENDS.valueSerde(client).serializer())) {
                    MapTrend v = MapTrend.newBuilder().setHost("sasl-host").setPid(1).setMapAddr(0x10).setComm("svc")
                            .setTsMs(t0).setCount(600_000).setLoadFactor(1).setOverflowRatio(0).setLevel(600_000)
                            .setTrendPerMin(20_000).setForecast(GrowthForecast.newBuilder().setModel("it")
                                    .setCredible(true).setDampingPerMin(1).setResidualSd(0).build()).build();
                    p.send(new ProducerRecord<>(Topics.GOMAP_TRENDS, null, t0, new MapKey("sasl-host", 1, 0x10L), v))
                            .get();
                }
                List<Alert> alerts = readAlerts(client, 1);
                assertEquals(1, alerts.size());
                assertEquals(AlertSeverity.WARNING, alerts.get(0).getSeverity());
                assertEquals("gomap-growth/sasl-host/1/0x10", alerts.get(0).getDedupKey());
            }

            Map<String, Object> wrong = new HashMap<>(k);
            wrong.putAll(kafka.saslClientConfig(EmbeddedKafkaCluster.SASL_ADMIN, "not-the-password"));
            wrong.put(StreamsConfig.APPLICATION_ID_CONFIG, "alerting-sasl-it-wrong");
            org.apache.kafka.common.KafkaException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.apache.kafka.common.KafkaException.class,
                    () -> AlertingService.start(config.withKafka(wrong)).close());
            assertEquals("failed to start Kafka Streams: SaslAuthenticationException: Authentication failed: "
                    + "Invalid username or password", e.getMessage());
        }
    }

    static List<Alert> readAlerts(Map<String, Object> client, int want) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "alerting-sasl-it-reader");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Alert> out = new ArrayList<>();
        try (KafkaConsumer<String, Alert> con = new KafkaConsumer<>(c, TopicSpecs.ALERTS.keySerde(c).deserializer(),
                TopicSpecs.ALERTS.valueSerde(c).deserializer())) {
            con.subscribe(List.of(Topics.ALERTS));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < want && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Alert> r : con.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
