package io.harbinger.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.harbinger.alerting.notify.SinkConfig;
import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.alerting.rule.RuleSet;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of the service (same application id) against the real broker: each state change of each map is
 * published exactly once and delivered to the PagerDuty-shaped sink exactly once, also when one instance leaves
 * mid-timeline and the other takes its partitions over; the REST API of either answers for all maps.
 */
class TwoInstancesTimelineIT {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void noDuplicateNotifications() throws Exception {
        RuleSet rules = RuleFile.defaults();
        List<JsonNode> delivered = Collections.synchronizedList(new ArrayList<>());
        HttpServer pd = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pd.createContext("/v2/enqueue", ex -> {
            delivered.add(JSON.readTree(ex.getRequestBody()));
            ex.sendResponseHeaders(202, -1);
            ex.close();
        });
        pd.start();
        try (KafkaTimeline tl = new KafkaTimeline()) {
            SinkConfig sink = new SinkConfig("pd", SinkConfig.Type.PAGERDUTY,
                    URI.create("http://127.0.0.1:" + pd.getAddress().getPort() + "/v2/enqueue"), "KEY", Set.of(), 3,
                    Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5), null);
            List<Timeline.MapRef> maps = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                maps.add(tl.map("h" + i, 4000 + i, 0xc000010000L + 0x1000L * i));
            }
            AlertingService a = AlertingService.start(tl.config(rules).withSinks(List.of(sink))
                    .withSinkStart("earliest"));
            try (AlertingService b = AlertingService.start(tl.config(rules).withSinks(List.of(sink))
                    .withSinkStart("earliest"))) {
                assertTrue(a.awaitRunning(WAIT) && b.awaitRunning(WAIT), "both running");
                awaitBothHaveTasks(a, b);
                for (int min = 0; min <= 12; min++) {
                    for (Timeline.MapRef m : maps) {
                        tl.trend(min + "m", m, 300_000 + 20_000.0 * min, 20_000);
                    }
                }
                tl.awaitCaughtUp(WAIT);
                List<String> phase1 = tl.alerts();
                assertEquals(6, phase1.size(), phase1.toString());
                assertTrue(phase1.stream().allMatch(s -> s.startsWith("5m WARNING ")), phase1.toString());
                JsonNode fromA = RestartTimelineIT.get(a, "/v1/alerts?state=active");
                JsonNode fromB = RestartTimelineIT.get(b, "/v1/alerts?state=active");
                assertEquals(6, count(fromA, tl.hostPrefix), "A answers for B's maps too");
                assertEquals(6, count(fromB, tl.hostPrefix));

                a.close(); // leaves mid-timeline: B takes over its partitions and alert state
                for (int min = 13; min <= 31; min++) {
                    for (Timeline.MapRef m : maps) {
                        tl.trend(min + "m", m, 300_000 + 20_000.0 * min, 20_000);
                    }
                }
                tl.awaitCaughtUp(WAIT);
                List<String> phase2 = tl.alerts();
                assertEquals(6, phase2.size(), phase2.toString());
                assertTrue(phase2.stream().allMatch(s -> s.startsWith("30m CRITICAL ")), phase2.toString());

                Map<String, List<String>> perKey = awaitDeliveries(delivered, tl.hostPrefix, 12);
                assertEquals(6, perKey.size());
                perKey.forEach((k, events) -> assertEquals(List.of("trigger/warning", "trigger/critical"), events, k));
                Thread.sleep(2000);
                assertEquals(12, awaitDeliveries(delivered, tl.hostPrefix, 12).values().stream()
                        .mapToInt(List::size).sum(), "nothing delivered twice");
            } finally {
                a.close();
            }
        } finally {
            pd.stop(0);
        }
    }

    static void awaitBothHaveTasks(AlertingService a, AlertingService b) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (activeTasks(a) > 0 && activeTasks(b) > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("tasks were not spread over both instances");
    }

    static int activeTasks(AlertingService s) {
        return s.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    static int count(JsonNode alerts, String hostPrefix) {
        int n = 0;
        for (JsonNode a : alerts) {
            n += a.get("host").asText().startsWith(hostPrefix) ? 1 : 0;
        }
        return n;
    }

    static Map<String, List<String>> awaitDeliveries(List<JsonNode> delivered, String hostPrefix, int want)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, List<String>> perKey;
        do {
            perKey = new TreeMap<>();
            synchronized (delivered) {
                for (JsonNode e : delivered) {
                    String key = e.get("dedup_key").asText();
                    if (key.contains("/" + hostPrefix)) {
                        perKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e.get("event_action").asText() + "/"
                                + e.path("payload").path("severity").asText());
                    }
                }
            }
            if (perKey.values().stream().mapToInt(List::size).sum() >= want) {
                return perKey;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return perKey;
    }
}
