package io.harbinger.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harbinger.collector.gomap.GoMapWatcher;
import io.harbinger.collector.syscall.SyscallProbeOptions;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.serde.SpecificAvroDeserializer;
import io.harbinger.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * Real eBPF into the real in-JVM broker through the real registry: every getppid of the workload arrives on
 * harbinger.syscall.events, keyed and decodable; the metrics endpoint reports the same counts.
 */
class CollectorKafkaIT {
    static final int GETPPID = 5_000;

    @Test
    void publishesEveryWorkloadSyscallAndTheEventsDecode() throws Exception {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.shared();
        TestSchemaRegistry registry = TestSchemaRegistry.shared();
        String host = "kafka-it-" + System.nanoTime();
        int metricsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            metricsPort = s.getLocalPort();
        }
        Map<String, Object> kafkaProps = new HashMap<>(kafka.clientConfig());
        kafkaProps.put("schema.registry.url", registry.url());
        CollectorSettings d = CollectorSettings.defaults();
        CollectorConfig config = new CollectorConfig(new CollectorSettings(host, true,
                SyscallProbeOptions.defaults().withComms(Set.of("hbwork_c")), false, GoMapWatcher.Options.defaults(),
                d.queueCapacity(), d.mapQueueCapacity(), d.ringPollMs()), kafkaProps, "127.0.0.1", metricsPort);

        CollectorStats stats;
        String metrics;
        try (CollectorService svc = CollectorService.start(config)) {
            Process p = new ProcessBuilder(Workloads.syscalls().toString(), "" + GETPPID, "0", "0", "0")
                    .inheritIO().start();
            assertEquals(0, p.waitFor());
            svc.close();
            stats = svc.stats();
        }
        assertEquals(0, stats.dropped());
        assertEquals(stats.produced(), stats.delivered());
        assertTrue(stats.delivered() >= GETPPID);

        Map<String, Object> c = new HashMap<>(kafka.clientConfig());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, host);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put("schema.registry.url", registry.url());
        SpecificAvroDeserializer<SyscallKey> keys = new SpecificAvroDeserializer<>(SyscallKey.class);
        SpecificAvroDeserializer<SyscallEvent> values = new SpecificAvroDeserializer<>(SyscallEvent.class);
        keys.configure(c, true);
        values.configure(c, false);
        long getppid = 0;
        long mine = 0;
        try (KafkaConsumer<SyscallKey, SyscallEvent> consumer = new KafkaConsumer<>(c, keys, values)) {
            consumer.subscribe(List.of(Topics.SYSCALL_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (mine < stats.delivered() && System.nanoTime() < deadline) {
                for (ConsumerRecord<SyscallKey, SyscallEvent> r : consumer.poll(Duration.ofMillis(500))) {
                    if (!r.key().getHost().equals(host)) {
                        continue;
                    }
                    mine++;
                    assertEquals(r.value().getComm(), r.key().getComm());
                    assertEquals(r.value().getSyscall(), r.key().getSyscall());
                    assertEquals(r.value().getTsNs() / 1_000_000L, r.timestamp());
                    if (r.value().getSyscall().equals("getppid")) {
                        getppid++;
                    }
                }
            }
        }
        assertEquals(stats.delivered(), mine, "every delivered event is on the topic once");
        assertEquals(GETPPID, getppid);
    }

    @Test
    void servesPrometheusMetricsOnLoopback() throws Exception {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.shared();
        TestSchemaRegistry registry = TestSchemaRegistry.shared();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, Object> kafkaProps = new HashMap<>(kafka.clientConfig());
        kafkaProps.put("schema.registry.url", registry.url());
        CollectorSettings d = CollectorSettings.defaults();
        CollectorConfig config = new CollectorConfig(new CollectorSettings("metrics-it", true,
                SyscallProbeOptions.defaults().withComms(Set.of("hbwork_c")), true,
                new GoMapWatcher.Options(Set.of("hbwork_none"), Duration.ofSeconds(1), Duration.ofSeconds(5), 100),
                d.queueCapacity(), d.mapQueueCapacity(), d.ringPollMs()), kafkaProps, "127.0.0.1", port);
        try (CollectorService svc = CollectorService.start(config)) {
            Process p = new ProcessBuilder(Workloads.syscalls().toString(), "1000", "0", "0", "0").inheritIO().start();
            assertEquals(0, p.waitFor());
            Thread.sleep(300);
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String name : List.of("harbinger_collector_events_seen_total", "harbinger_collector_events_sampled_total",
                    "harbinger_collector_events_published_total", "harbinger_collector_kernel_drops_total",
                    "harbinger_collector_userspace_drops_total", "harbinger_collector_gomaps_tracked",
                    "harbinger_collector_probe_attach_failures_total")) {
                assertTrue(body.contains(name + " "), name + " missing in\n" + body);
            }
            double seen = value(body, "harbinger_collector_events_seen_total");
            assertTrue(seen >= 1000, "seen " + seen);
        }
    }

    private static double value(String body, String name) {
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return Double.NaN;
    }
}
