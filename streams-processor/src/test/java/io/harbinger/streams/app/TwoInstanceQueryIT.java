package io.harbinger.streams.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.streams.json.JsonViews;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two streams-processor instances against the real in-JVM broker and registry: every key is answered by both
 * instances with the same content (each forwards what it does not hold), and the answers survive stopping one.
 */
class TwoInstanceQueryIT {
    static final long WINDOW = 60_000;
    static final String[] COMMS = {"api", "db"};
    static final String[] SYSCALLS = {"read", "write"};
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyKeyIsAnsweredByBothInstancesAndSurvivesStoppingOne(@TempDir Path dir) throws Exception {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.shared();
        TestSchemaRegistry registry = TestSchemaRegistry.shared();
        kafka.createHarbingerTopics();
        String run = "iq" + System.nanoTime();
        List<String> hosts = List.of(run + "-a", run + "-b", run + "-c");
        long t0 = (System.currentTimeMillis() / WINDOW - 60) * WINDOW;

        Map<String, Object> client = new HashMap<>(kafka.clientConfig());
        client.put("schema.registry.url", registry.url());
        // One batch in flight: the topics may be seconds old, and a batch retried after NotLeaderOrFollower was once
        // appended after later ones (the broker saw sequence 0 after 240), so earlier events arrived late and were
        // rightly dropped as late by the window aggregator (a window counted 15 of 23).
        Map<String, Object> producerConfig = new HashMap<>(client);
        producerConfig.put("max.in.flight.requests.per.connection", "1");
        Map<SyscallKey, long[]> expectedCounts = new HashMap<>();
        List<MapKey> maps = new ArrayList<>();
        try (KafkaProducer<SyscallKey, SyscallEvent> p = new KafkaProducer<>(producerConfig,
                TopicSpecs.SYSCALL_EVENTS.keySerde(client).serializer(),
                TopicSpecs.SYSCALL_EVENTS.valueSerde(client).serializer());
             KafkaProducer<MapKey, GoMapEvent> mp = new KafkaProducer<>(producerConfig,
                     TopicSpecs.GOMAP_EVENTS.keySerde(client).serializer(),
                     TopicSpecs.GOMAP_EVENTS.valueSerde(client).serializer())) {
            // Events in time order across keys, as a partition sees them live; then one event per key far enough
            // ahead to close the three windows in every partition.
            List<SyscallKey> keys = new ArrayList<>();
            for (String host : hosts) {
                for (String comm : COMMS) {
                    for (String sc : SYSCALLS) {
                        keys.add(new SyscallKey(host, comm, sc));
                        expectedCounts.put(keys.get(keys.size() - 1), new long[3]);
                    }
                }
            }
            for (int w = 0; w < 3; w++) {
                for (int i = 0; i < 40; i++) {
                    long ts = t0 + w * WINDOW + i * 1000L;
                    for (SyscallKey key : keys) {
                        if (i < 20 + 7 * w + key.getComm().length()) {
                            p.send(new ProducerRecord<>(TopicSpecs.SYSCALL_EVENTS.name(), null, ts, key,
                                    event(key, ts, 1000 + i * 10L, i % 5 == 0 ? -2 : 0)));
                            expectedCounts.get(key)[w]++;
                        }
                    }
                }
            }
            long tick = t0 + 3 * WINDOW + 6_000;
            for (SyscallKey key : keys) {
                p.send(new ProducerRecord<>(TopicSpecs.SYSCALL_EVENTS.name(), null, tick, key, event(key, tick, 500, 0)));
            }
            int pid = 100;
            for (String host : hosts) {
                MapKey mk = new MapKey(host, pid++, 0xc000010000L + pid);
                maps.add(mk);
                for (int i = 0; i < 20; i++) {
                    long ts = t0 + i * 30_000L;
                    mp.send(new ProducerRecord<>(TopicSpecs.GOMAP_EVENTS.name(), null, ts, mk,
                            new GoMapEvent(host, ts * 1_000_000, mk.getPid(), "svc", mk.getMapAddr(), "go1.19.8",
                                    1000L + i * 500L, 8, 3L, 42L)));
                }
            }
            // One event and one snapshot too late to count: dropped, counted on /metrics, and the late snapshot's
            // older count never shows as its map's latest.
            SyscallKey lateKey = keys.get(0);
            p.send(new ProducerRecord<>(TopicSpecs.SYSCALL_EVENTS.name(), null, t0, lateKey, event(lateKey, t0, 7, 0)));
            MapKey lateMap = maps.get(0);
            long lateTs = t0 - 600_000;
            mp.send(new ProducerRecord<>(TopicSpecs.GOMAP_EVENTS.name(), null, lateTs, lateMap,
                    new GoMapEvent(lateMap.getHost(), lateTs * 1_000_000, lateMap.getPid(), "svc",
                            lateMap.getMapAddr(), "go1.19.8", 777L, 8, 3L, 42L)));
            p.flush();
            mp.flush();
        }

        try (StreamsService a = start(kafka, registry, run, dir.resolve("a"));
             StreamsService b = start(kafka, registry, run, dir.resolve("b"))) {
            a.start();
            b.start();
            awaitOutputWindows(client, run, hosts.size() * COMMS.length * SYSCALLS.length * 3);
            awaitRunning(a, b);

            for (Map.Entry<SyscallKey, long[]> e : expectedCounts.entrySet()) {
                String path = latencyPath(e.getKey());
                JsonNode fromA = awaitOk(a.httpPort(), path);
                JsonNode fromB = awaitOk(b.httpPort(), path);
                assertEquals(fromA, fromB, "both instances answer the same for " + e.getKey());
                assertEquals(4, fromA.size(), "three closed windows and the open one: " + fromA);
                for (int w = 0; w < 3; w++) {
                    assertEquals(e.getValue()[w], fromA.get(w).get("count").asLong());
                    assertTrue(fromA.get(w).get("closed").asBoolean());
                }
                assertTrue(!fromA.get(3).get("closed").asBoolean());
            }
            for (MapKey mk : maps) {
                String path = "/v1/maps/" + mk.getHost() + "/" + mk.getPid() + "/" + mk.getMapAddr();
                JsonNode fromA = awaitOk(a.httpPort(), path);
                assertEquals(fromA, awaitOk(b.httpPort(), path));
                assertEquals(1000L + 19 * 500L, fromA.get("count").asLong());
            }
            // fleet-wide rollup of one syscall: sketches merged across hosts and comms, counts exact
            for (String sc : SYSCALLS) {
                JsonNode rollA = awaitOk(a.httpPort(), "/v1/latency/rollup?syscall=" + sc);
                assertEquals(rollA, awaitOk(b.httpPort(), "/v1/latency/rollup?syscall=" + sc));
                for (int w = 0; w < 3; w++) {
                    long start = t0 + w * WINDOW;
                    int window = w;
                    long expected = expectedCounts.entrySet().stream()
                            .filter(e -> e.getKey().getSyscall().equals(sc)).mapToLong(e -> e.getValue()[window]).sum();
                    JsonNode row = null;
                    for (JsonNode r : rollA) {
                        if (r.get("window_start_ms").asLong() == start) {
                            row = r;
                        }
                    }
                    assertTrue(row != null, "rollup window " + start + " of " + sc + ": " + rollA);
                    assertEquals(expected, row.get("count").asLong(), "rollup count of " + sc);
                }
            }
            awaitDroppedTotal(2, a, b);
            JsonNode topA = awaitOk(a.httpPort(), "/v1/latency/top?n=5");
            assertEquals(topA, awaitOk(b.httpPort(), "/v1/latency/top?n=5"));
            assertEquals(404, get(a.httpPort(), latencyPath(new SyscallKey(run + "-nope", "x", "read"))).statusCode());

            a.close();
            for (SyscallKey key : expectedCounts.keySet()) {
                JsonNode fromB = awaitOk(b.httpPort(), latencyPath(key));
                assertEquals(expectedCounts.get(key)[0], fromB.get(0).get("count").asLong());
            }
            for (MapKey mk : maps) {
                awaitOk(b.httpPort(), "/v1/maps/" + mk.getHost() + "/" + mk.getPid() + "/" + mk.getMapAddr());
            }
        }
    }

    /** Waits until the instances' {@code harbinger_streams_dropped_records_total} add up to {@code expected}. */
    void awaitDroppedTotal(double expected, StreamsService... services) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        double sum = -1;
        while (System.nanoTime() < deadline) {
            sum = 0;
            for (StreamsService s : services) {
                HttpResponse<String> r = get(s.httpPort(), "/metrics");
                assertEquals(200, r.statusCode(), r.body());
                sum += r.body().lines().filter(l -> l.startsWith("harbinger_streams_dropped_records_total "))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).sum();
            }
            if (sum >= expected) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(expected, sum, "records dropped as late, over both instances");
    }

    static SyscallEvent event(SyscallKey key, long tsMs, long latency, long ret) {
        return new SyscallEvent(key.getHost(), tsMs * 1_000_000, 7, 7, key.getComm(), 0L, 0, key.getSyscall(), latency,
                ret, 1);
    }

    static StreamsService start(EmbeddedKafkaCluster kafka, TestSchemaRegistry registry, String app, Path state)
            throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put("schema.registry.url", registry.url());
        p.put(StreamsServiceConfig.HTTP_PORT, "0");
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        kafka.clientConfig().forEach((k, v) -> p.putIfAbsent(k, v));
        return new StreamsService(StreamsServiceConfig.from(p, state));
    }

    static String latencyPath(SyscallKey k) {
        return "/v1/latency?host=" + enc(k.getHost()) + "&comm=" + enc(k.getComm()) + "&syscall=" + enc(k.getSyscall());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Retries through rebalances (503) until a 200 arrives; fails with the last answer otherwise. */
    JsonNode awaitOk(int port, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        HttpResponse<String> r = null;
        while (System.nanoTime() < deadline) {
            try {
                r = get(port, path);
                if (r.statusCode() == 200) {
                    return JsonViews.JSON.readTree(r.body());
                }
            } catch (java.io.IOException e) {
                // server busy: retry
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " on " + port + " never answered 200; last: "
                + (r == null ? "none" : r.statusCode() + " " + r.body()));
    }

    static void awaitRunning(StreamsService... services) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (StreamsService s : services) {
            while (s.streams().state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(KafkaStreams.State.RUNNING, s.streams().state());
        }
    }

    static void awaitOutputWindows(Map<String, Object> client, String run, int expected) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, run + "-check");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        int seen = 0;
        try (KafkaConsumer<LatencyWindowKey, SyscallLatencyWindow> consumer = new KafkaConsumer<>(c,
                TopicSpecs.SYSCALL_LATENCY.keySerde(client).deserializer(),
                TopicSpecs.SYSCALL_LATENCY.valueSerde(client).deserializer())) {
            consumer.subscribe(List.of(TopicSpecs.SYSCALL_LATENCY.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (seen < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<LatencyWindowKey, SyscallLatencyWindow> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key().getHost().startsWith(run)) {
                        seen++;
                    }
                }
            }
        }
        assertEquals(expected, seen, "closed windows on harbinger.syscall.latency, each exactly once");
    }
}
