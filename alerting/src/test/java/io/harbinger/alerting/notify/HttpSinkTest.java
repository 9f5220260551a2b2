package io.harbinger.alerting.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.harbinger.schema.Alert;
import io.harbinger.schema.AlertSeverity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP sinks against a real local HTTP server that answers with scripted status codes. */
class HttpSinkTest {
    static final ObjectMapper JSON = new ObjectMapper();

    HttpServer server;
    final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    final List<JsonNode> bodies = Collections.synchronizedList(new ArrayList<>());
    final List<String> auth = Collections.synchronizedList(new ArrayList<>());
    final List<Duration> slept = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/enqueue", ex -> {
            bodies.add(JSON.readTree(ex.getRequestBody()));
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            Integer code = script.poll();
            int status = code == null ? 202 : code;
            byte[] resp = (status == 202 ? "{\"status\":\"success\",\"message\":\"Event processed\"}"
                    : "{\"status\":\"error\"}").getBytes();
            if (status == 429) {
                ex.getResponseHeaders().add("Retry-After", "7");
            }
            ex.sendResponseHeaders(status, resp.length);
            ex.getResponseBody().write(resp);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    SinkConfig config(SinkConfig.Type type, int retries, Set<String> routes, String token) {
        return new SinkConfig("pd", type, URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/v2/enqueue"), "R0UTINGKEY", routes, retries, Duration.ofMillis(100), Duration.ofMillis(250),
                Duration.ofSeconds(5), token);
    }

    HttpSink sink(SinkConfig c) {
        return new HttpSink(c, slept::add);
    }

    static Alert alert(AlertSeverity severity, AlertSeverity previous) {
        return Alert.newBuilder()
                .setDedupKey("gomap-growth/host-0/4000/0xc000012000").setRule("gomap-growth").setMetric("gomap.count")
                .setSeverity(severity).setPreviousSeverity(previous)
                .setHost("host-0").setPid(4000).setMapAddr(0xc000012000L).setComm("svc")
                .setFiredAtMs(1_767_225_900_000L).setValue(812_345).setThreshold(1_000_000)
                .setPredictedBreachAtMs(severity == AlertSeverity.RESOLVED ? null : 1_767_227_400_000L)
                .setSummary("gomap-growth " + severity + ": gomap.count of Go map 0xc000012000 of svc (pid 4000) "
                        + "on host-0 is 812345, forecast to reach 1000000 in 25m")
                .setRoute("pager").setLabels(Map.of("team", "infra", "host", "host-0"))
                .setEpisodeStartedAtMs(1_767_225_900_000L)
                .build();
    }

    @Test
    void pagerDutyTriggerRetriedOn5xxThenResolve() throws Exception {
        HttpSink sink = sink(config(SinkConfig.Type.PAGERDUTY, 3, Set.of(), null));
        script.add(503);
        script.add(500);
        assertEquals(HttpSink.Outcome.DELIVERED, sink.deliver(alert(AlertSeverity.WARNING, null)));
        assertEquals(3, bodies.size(), "two 5xx, then accepted");
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), slept, "exponential backoff");
        assertEquals(bodies.get(0), bodies.get(2), "the same event is retried");

        JsonNode trigger = bodies.get(2);
        assertEquals("R0UTINGKEY", trigger.get("routing_key").asText());
        assertEquals("trigger", trigger.get("event_action").asText());
        assertEquals("gomap-growth/host-0/4000/0xc000012000", trigger.get("dedup_key").asText());
        JsonNode p = trigger.get("payload");
        assertTrue(p.get("summary").asText().startsWith("gomap-growth WARNING: gomap.count of Go map 0xc000012000"));
        assertEquals("host-0", p.get("source").asText());
        assertEquals("warning", p.get("severity").asText());
        assertEquals("2026-01-01T00:05:00Z", p.get("timestamp").asText());
        assertEquals("svc", p.get("component").asText());
        assertEquals("gomap-growth", p.get("group").asText());
        assertEquals("gomap.count", p.get("class").asText());
        JsonNode d = p.get("custom_details");
        assertEquals(812_345, d.get("value").asDouble());
        assertEquals(1_000_000, d.get("threshold").asDouble());
        assertEquals("2026-01-01T00:30:00Z", d.get("predicted_breach_at").asText());
        assertEquals("0xc000012000", d.get("map_addr").asText());
        assertEquals(4000, d.get("pid").asInt());
        assertEquals("infra", d.get("labels").get("team").asText());
        assertEquals(Set.of("routing_key", "event_action", "dedup_key", "payload", "client"), fields(trigger));

        bodies.clear();
        assertEquals(HttpSink.Outcome.DELIVERED, sink.deliver(alert(AlertSeverity.CRITICAL, AlertSeverity.WARNING)));
        assertEquals("critical", bodies.get(0).get("payload").get("severity").asText());
        assertEquals("trigger", bodies.get(0).get("event_action").asText());

        bodies.clear();
        assertEquals(HttpSink.Outcome.DELIVERED, sink.deliver(alert(AlertSeverity.RESOLVED, AlertSeverity.CRITICAL)));
        JsonNode resolve = bodies.get(0);
        assertEquals("resolve", resolve.get("event_action").asText());
        assertEquals("gomap-growth/host-0/4000/0xc000012000", resolve.get("dedup_key").asText());
        assertEquals("R0UTINGKEY", resolve.get("routing_key").asText());
        assertEquals(Set.of("routing_key", "event_action", "dedup_key"), fields(resolve));
    }

    @Test
    void givesUpAfterRetriesAndCapsBackoff() throws Exception {
        HttpSink sink = sink(config(SinkConfig.Type.PAGERDUTY, 3, Set.of(), null));
        for (int i = 0; i < 10; i++) {
            script.add(502);
        }
        assertEquals(HttpSink.Outcome.FAILED, sink.deliver(alert(AlertSeverity.WARNING, null)));
        assertEquals(4, bodies.size(), "first attempt + 3 retries");
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250)), slept);
    }

    @Test
    void clientErrorsAreFinalAnd429HonoursRetryAfterUpToTheCap() throws Exception {
        HttpSink sink = sink(config(SinkConfig.Type.PAGERDUTY, 3, Set.of(), null));
        script.add(400);
        assertEquals(HttpSink.Outcome.FAILED, sink.deliver(alert(AlertSeverity.WARNING, null)));
        assertEquals(1, bodies.size(), "400 is not retried");
        assertTrue(slept.isEmpty());

        script.add(429);
        assertEquals(HttpSink.Outcome.DELIVERED, sink.deliver(alert(AlertSeverity.WARNING, null)));
        assertEquals(List.of(Duration.ofMillis(250)), slept, "Retry-After: 7 capped at backoff.max");
    }

    @Test
    void connectionRefusedIsRetriedThenCounted() throws Exception {
        SinkConfig c = config(SinkConfig.Type.PAGERDUTY, 2, Set.of(), null);
        server.stop(0);
        assertEquals(HttpSink.Outcome.FAILED, sink(c).deliver(alert(AlertSeverity.WARNING, null)));
        assertEquals(2, slept.size());
    }

    @Test
    void routesSelectAlertsAndTokenIsSent() throws Exception {
        HttpSink only = sink(config(SinkConfig.Type.WEBHOOK, 0, Set.of("chat"), "s3cret"));
        assertEquals(HttpSink.Outcome.SKIPPED, only.deliver(alert(AlertSeverity.WARNING, null)));
        assertTrue(bodies.isEmpty());
        HttpSink pager = sink(config(SinkConfig.Type.WEBHOOK, 0, Set.of("pager", "chat"), "s3cret"));
        assertEquals(HttpSink.Outcome.DELIVERED, pager.deliver(alert(AlertSeverity.WARNING, null)));
        assertEquals("Bearer s3cret", auth.get(0));
        assertFalse(pager.config().toString().contains("s3cret"));
    }

    @Test
    void alertmanagerWebhookV4Shape() throws Exception {
        HttpSink sink = sink(config(SinkConfig.Type.WEBHOOK, 0, Set.of(), null));
        sink.deliver(alert(AlertSeverity.CRITICAL, AlertSeverity.WARNING));
        sink.deliver(alert(AlertSeverity.RESOLVED, AlertSeverity.CRITICAL));
        JsonNode firing = bodies.get(0);
        assertEquals(Set.of("version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels",
                "commonLabels", "commonAnnotations", "externalURL", "alerts"), fields(firing));
        assertEquals("4", firing.get("version").asText());
        assertEquals("firing", firing.get("status").asText());
        assertEquals("pd", firing.get("receiver").asText());
        assertEquals("{}:{dedup_key=\"gomap-growth/host-0/4000/0xc000012000\"}", firing.get("groupKey").asText());
        JsonNode a = firing.get("alerts").get(0);
        assertEquals(Set.of("status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"),
                fields(a));
        assertEquals("gomap-growth", a.get("labels").get("alertname").asText());
        assertEquals("critical", a.get("labels").get("severity").asText());
        assertEquals("host-0", a.get("labels").get("host").asText());
        assertEquals("2026-01-01T00:05:00Z", a.get("startsAt").asText());
        assertEquals("0001-01-01T00:00:00Z", a.get("endsAt").asText());
        assertEquals(16, a.get("fingerprint").asText().length());
        assertTrue(a.get("annotations").get("summary").asText().contains("gomap.count"));

        JsonNode resolved = bodies.get(1);
        assertEquals("resolved", resolved.get("status").asText());
        JsonNode r = resolved.get("alerts").get(0);
        assertEquals("critical", r.get("labels").get("severity").asText(), "labels stay those of the firing alert");
        assertEquals(a.get("fingerprint"), r.get("fingerprint"));
        assertEquals("2026-01-01T00:05:00Z", r.get("endsAt").asText());
    }

    static Set<String> fields(JsonNode n) {
        Set<String> s = new java.util.TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }
}
