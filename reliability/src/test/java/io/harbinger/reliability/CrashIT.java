package io.harbinger.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 7, item 3: the streams processor and the alerting service, each the real {@code harbinger} command in a JVM
 * of its own, are killed with SIGKILL while they work - the processor with a latency window half full, alerting
 * with alerts active - and started again: the processor on its own state directory (restart), alerting on an
 * empty one (its tasks restored from the changelogs, as after a move to another host). Events published while a
 * service is dead are processed after its restart. The windows, trends and alerts on the topics (read_committed)
 * and the active alerts over REST must be exactly those of the offline backtest of the same input, as if nothing had
 * crashed.
 */
class CrashIT {
    /** The services' logs, kept for a look after a failure. */
    static final Path LOGS = Path.of("target", "crash-it");

    /** Alerting killed with alerts active, restarted on an empty state directory; the processor keeps running. */
    @Test
    void killedAlertingResumesAsIfNothingHappened(@TempDir Path dir) throws Exception {
        run(dir, false);
    }

    /**
     * The processor killed mid-window too, and restarted on its state directory. The workload's event times are months
     * old: this lost the open window's committed events until the window store's changelog was stamped with append
     * time (its time-based retention had deleted them; see docs/reliability.md).
     */
    @Test
    void killedProcessorAndAlertingResumeAsIfNothingHappened(@TempDir Path dir) throws Exception {
        run(dir, true);
    }

    static void run(Path dir, boolean killProcessor) throws Exception {
        Workload w = new Workload();
        Path rules = Files.writeString(dir.resolve("rules.yaml"), Workload.RULES);
        Outputs expected = Outputs.backtest(w, dir.resolve("backtest"), rules, Duration.ofSeconds(5));

        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.single())) {
            Services.createAuditableTopics(kafka);
            Map<String, Object> client = new HashMap<>(kafka.clientConfig());
            client.put("schema.registry.url", TestSchemaRegistry.shared().url());
            // a killed member leaves the group after the session timeout: keep that short
            client.put("session.timeout.ms", "10000");
            client.put("heartbeat.interval.ms", "1000");

            Properties sp = Services.streamsProperties(client, "crash-streams", dir.resolve("streams-state"));
            Path streamsConfig = Services.write(sp, dir.resolve("streams.properties"));
            int streamsPort = Http.freePort();
            String streamsUrl = "http://127.0.0.1:" + streamsPort;
            Properties ap = Services.alertingProperties(client, "crash-alerting", dir.resolve("alerting-state-1"), rules);
            int alertingPort = Http.freePort();
            ap.setProperty("alerting.http.port", Integer.toString(alertingPort));
            Path alertingConfig1 = Services.write(ap, dir.resolve("alerting-1.properties"));
            ap.setProperty("state.dir", dir.resolve("alerting-state-2").toString());
            Path alertingConfig2 = Services.write(ap, dir.resolve("alerting-2.properties"));
            String alertingUrl = "http://127.0.0.1:" + alertingPort;

            // mid-window 5 (its first 50 of 100 events per series), and mid-window 8
            long midFive = (Workload.SYSCALL_BASE_MS + 5 * 60_000L + 30_000L) * 1_000_000L;
            long midEight = (Workload.SYSCALL_BASE_MS + 8 * 60_000L + 30_000L) * 1_000_000L;
            int a = firstAtOrAfter(w, midFive);
            int b = firstAtOrAfter(w, midEight);
            String dbRead = streamsUrl + "/v1/latency?host=" + Workload.HOST + "&comm=db&syscall=read";
            long windowFive = Workload.SYSCALL_BASE_MS + 5 * 60_000L;

            try (CollectorFeed feed = new CollectorFeed(client);
                 ChildJvm streams1 = streams(dir, "streams-1.log", streamsConfig, sp, streamsPort);
                 ChildJvm alerting1 = ChildJvm.harbinger(LOGS.resolve("alerting-1.log"), "alerting", "--config",
                         alertingConfig1.toString())) {
                awaitHealthy(streamsUrl, streams1);
                awaitHealthy(alertingUrl, alerting1);

                feed.publish(w.publishOrder.subList(0, a), 20_000, i -> { });
                Http.await(dbRead, r -> r.status() == 200 && openCount(r.json(), windowFive) == 50,
                        Services.WAIT, "window 5 of db/read open with 50 events");
                if (killProcessor) {
                    streams1.kill();
                    System.out.println("killed the streams processor (SIGKILL) with window 5 open at 50 of 100 events");
                }

                feed.publish(w.publishOrder.subList(a, b), 20_000, i -> { });
                try (ChildJvm streams2 = killProcessor ? streams(dir, "streams-2.log", streamsConfig, sp, streamsPort)
                        : null) {
                    awaitHealthy(streamsUrl, killProcessor ? streams2 : streams1);
                    JsonNode active = Http.await(alertingUrl + "/v1/alerts?state=active",
                            r -> r.status() == 200 && r.json().size() >= 2, Services.WAIT,
                            "two active alerts before alerting is killed").json();
                    System.out.println("alerting transitions before the kill: " + transitions(alertingUrl));
                    alerting1.kill();
                    System.out.println("killed alerting (SIGKILL) with " + active.size() + " active alerts");

                    feed.publish(w.publishOrder.subList(b, w.publishOrder.size()), 20_000, i -> { });
                    w.closers().forEach(feed::offer);
                    feed.close();
                    assertEquals(0, feed.dropped());
                    assertEquals(feed.produced(), feed.delivered());

                    try (ChildJvm alerting2 = ChildJvm.harbinger(LOGS.resolve("alerting-2.log"), "alerting", "--config",
                            alertingConfig2.toString())) {
                        awaitHealthy(alertingUrl, alerting2);
                        Outputs live = Outputs.live(client, expected, Duration.ofSeconds(240), Duration.ofSeconds(2));
                        System.out.printf("after the crashes: %d windows (%d events), %d trends, %d alerts: %s%n",
                                live.latency().size(), live.windowedEvents(), live.trends().size(),
                                live.alerts().size(), live.alertSummary());
                        live.latency().stream().filter(l -> !l.contains("\"count\":100,"))
                                .forEach(l -> System.out.println("short window: " + l.substring(0, Math.min(160, l.length()))));
                        assertEquals((long) w.syscalls.size(), live.windowedEvents(), "each event counted once");
                        assertEquals(expected.latency(), live.latency(), "windows as without the crash");
                        assertEquals(expected.trends(), live.trends(), "trends as without the crash");
                        System.out.println("alerting transitions after the restart: " + transitions(alertingUrl));
                        assertEquals(expected.alertSummary(), live.alertSummary());
                        assertEquals(expected.alerts(), live.alerts(), "alerts as without the crash");

                        Map<String, String> want = activeFromBacktest(expected);
                        Map<String, String> got = new TreeMap<>();
                        for (JsonNode n : Http.await(alertingUrl + "/v1/alerts?state=active",
                                r -> r.status() == 200 && r.json().size() == want.size(), Services.WAIT,
                                "active alerts after the restart").json()) {
                            got.put(n.get("dedup_key").asText(), n.get("status").asText());
                        }
                        System.out.println("active alerts after the restart: " + got);
                        assertEquals(want, got, "active alerts as without the crash");
                    }
                }
            }
        }
    }

    /** The alerting service's lifecycle transitions by reason, from its /metrics. */
    static String transitions(String alertingUrl) throws Exception {
        return Http.get(alertingUrl + "/metrics").body().lines()
                .filter(l -> l.startsWith("harbinger_alerting_transitions_total")).toList().toString();
    }

    static ChildJvm streams(Path dir, String log, Path config, Properties sp, int port) throws Exception {
        return ChildJvm.harbinger(LOGS.resolve(log), "streams", "--config", config.toString(), "--state-dir",
                sp.getProperty("state.dir"), "--http-port", Integer.toString(port));
    }

    static void awaitHealthy(String url, ChildJvm child) throws InterruptedException {
        long deadline = System.nanoTime() + Services.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.alive()) {
                throw new AssertionError("harbinger exited: " + child.logText());
            }
            try {
                if (Http.get(url + "/healthz").status() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " not healthy; log: " + child.logText());
    }

    static int firstAtOrAfter(Workload w, long tsNs) {
        for (int i = 0; i < w.publishOrder.size(); i++) {
            if (w.publishOrder.get(i).tsNs() >= tsNs) {
                return i;
            }
        }
        throw new IllegalArgumentException("no event at or after " + tsNs);
    }

    /** The count of the still-open window starting at {@code startMs} in a /v1/latency answer, else -1. */
    static long openCount(JsonNode windows, long startMs) {
        for (JsonNode n : windows.isArray() ? windows : windows.path("windows")) {
            if (n.path("window_start_ms").asLong() == startMs && !n.path("closed").asBoolean(true)) {
                return n.path("count").asLong();
            }
        }
        return -1;
    }

    /** Dedup key -> status of every alert whose last record in the backtest is not RESOLVED. */
    static Map<String, String> activeFromBacktest(Outputs expected) throws Exception {
        Map<String, JsonNode> last = new TreeMap<>();
        for (String l : expected.alerts()) {
            JsonNode n = Http.JSON.readTree(l);
            String key = n.get("dedup_key") != null ? n.get("dedup_key").asText() : n.get("rule").asText() + "/" + n.get("host").asText();
            JsonNode prev = last.get(key);
            if (prev == null || prev.get("fired_at_ms").asLong() <= n.get("fired_at_ms").asLong()) {
                last.put(key, n);
            }
        }
        Map<String, String> active = new TreeMap<>();
        last.forEach((k, n) -> {
            if (!n.get("severity").asText().equals("RESOLVED")) {
                active.put(k, n.get("severity").asText());
            }
        });
        return active;
    }
}
