package io.harbinger.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harbinger.alerting.rule.RuleFile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST API of a running service against the real broker: bearer token, silences created and deleted over
 * REST going through harbinger.silences into the evaluation, active alerts, health and metrics.
 */
class AlertingApiIT {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "t0ken-" + System.nanoTime();
    final HttpClient http = HttpClient.newHttpClient();

    record Reply(int code, JsonNode json, String text) {}

    Reply call(AlertingService s, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            json = JSON.readTree(r.body());
        }
        return new Reply(r.statusCode(), json, r.body());
    }

    @Test
    void silencesOverRestAndTokenAuth() throws Exception {
        try (KafkaTimeline tl = new KafkaTimeline()) {
            Timeline.MapRef m = tl.map("api", 4000, 0xc000012000L);
            String key = m.key("gomap-growth");
            AlertingConfig config = tl.config(RuleFile.defaults());
            try (AlertingService s = AlertingService.start(config.withHttp("127.0.0.1", 0, TOKEN))) {
                assertTrue(s.awaitRunning(WAIT));
                assertEquals(200, call(s, "GET", "/healthz", null, null).code(), "healthz needs no token");
                Reply denied = call(s, "GET", "/v1/alerts?state=active", null, null);
                assertEquals(401, denied.code());
                assertEquals("missing or wrong bearer token", denied.json().get("error").asText());
                assertEquals(401, call(s, "GET", "/metrics", null, "wrong").code());

                Reply bad = call(s, "POST", "/v1/silences", "{\"matchers\": {}}", TOKEN);
                assertEquals(400, bad.code());
                assertEquals("matchers must be a non-empty object of label to value", bad.json().get("error").asText());

                Reply created = call(s, "POST", "/v1/silences", "{\"matchers\": {\"host\": \"" + m.host()
                        + "\"}, \"starts_at_ms\": " + tl.at("0m") + ", \"ends_at_ms\": "
                        + (System.currentTimeMillis() + 3_600_000L)
                        + ", \"created_by\": \"it\", \"comment\": \"maintenance\"}", TOKEN);
                assertEquals(201, created.code(), created.text());
                String id = created.json().get("id").asText();
                Reply list = call(s, "GET", "/v1/silences", null, TOKEN);
                assertTrue(list.text().contains(id), "visible right after creation: " + list.text());

                for (int min = 0; min <= 10; min++) {
                    tl.trend(min + "m", m, 600_000, 20_000); // firing, but silenced
                }
                tl.awaitCaughtUp(WAIT);
                assertEquals(List.of(), tl.alerts(), "silenced: nothing published");
                JsonNode active = call(s, "GET", "/v1/alerts?state=active&host=" + m.host(), null, TOKEN).json();
                assertEquals(1, active.size(), "state kept while silenced");
                assertEquals(id, active.get(0).get("silenced_by").asText());
                assertTrue(active.get(0).get("last_notified").isNull());

                assertEquals(200, call(s, "DELETE", "/v1/silences/" + id, null, TOKEN).code());
                assertEquals(404, call(s, "DELETE", "/v1/silences/" + id, null, TOKEN).code());
                tl.trend("11m", m, 600_000, 20_000);
                tl.awaitCaughtUp(WAIT);
                assertEquals(List.of("0m WARNING " + key), tl.alerts(),
                        "published once the silence is gone, with the time the state changed");

                String metrics = call(s, "GET", "/metrics", null, TOKEN).text();
                assertTrue(metrics.contains("harbinger_alerting_alerts_published_total{severity=\"warning\"}"), metrics);
                assertTrue(metrics.contains("harbinger_alerting_decisions_total{decision=\"muted\"}"), metrics);
                assertTrue(metrics.contains("harbinger_alerting_alerts{status=\"warning\"}"), metrics);
                assertEquals(400, call(s, "GET", "/v1/alerts?state=firing", null, TOKEN).code());
                assertEquals(405, call(s, "PUT", "/v1/alerts", "", TOKEN).code());
            }
        }
    }
}
