package io.harbinger.alerting.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.schema.Silence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP layer over an in-memory backend: routing, validation, auth, status codes. */
class AlertingHttpServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long NOW = 1_767_225_600_000L;

    final List<Silence> silences = new ArrayList<>();
    String unhealthy;
    AlertingHttpServer server;
    final HttpClient http = HttpClient.newHttpClient();

    final AlertingBackend backend = new AlertingBackend() {
        @Override
        public List<ObjectNode> alerts(AlertView.Filter filter, boolean localOnly) {
            if (unhealthy != null) {
                throw new Unavailable("alert stores not queryable yet (REBALANCING): retry shortly");
            }
            ObjectNode a = JSON.createObjectNode().put("dedup_key", "r/h/1/0x1").put("host", "h").put("rule", "r")
                    .put("status", filter.name());
            ObjectNode b = JSON.createObjectNode().put("dedup_key", "r/g/1/0x1").put("host", "g").put("rule", "r")
                    .put("status", filter.name());
            return List.of(a, b);
        }

        @Override
        public Silence createSilence(Silence s) {
            silences.add(s);
            return s;
        }

        @Override
        public boolean deleteSilence(String id) {
            return silences.removeIf(s -> s.getId().equals(id));
        }

        @Override
        public List<Silence> silences() {
            return silences;
        }

        @Override
        public String unhealthy() {
            return unhealthy;
        }

        @Override
        public byte[] metrics() {
            return "# HELP x y\nx 1\n".getBytes();
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = AlertingHttpServer.start("127.0.0.1", 0, "tok", backend,
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void authAndHealth() throws Exception {
        assertEquals(200, call("GET", "/healthz", null, null).statusCode());
        assertEquals(401, call("GET", "/v1/alerts", null, null).statusCode());
        assertEquals(401, call("GET", "/metrics", null, "nope").statusCode());
        assertEquals(200, call("GET", "/metrics", null, "tok").statusCode());
        unhealthy = "streams ERROR";
        HttpResponse<String> h = call("GET", "/healthz", null, null);
        assertEquals(503, h.statusCode());
        assertEquals("streams ERROR", JSON.readTree(h.body()).get("reason").asText());
        assertEquals(503, call("GET", "/v1/alerts", null, "tok").statusCode());
    }

    @Test
    void alertsFilterAndSort() throws Exception {
        HttpResponse<String> r = call("GET", "/v1/alerts?state=all", null, "tok");
        assertEquals(200, r.statusCode());
        JsonNode arr = JSON.readTree(r.body());
        assertEquals(2, arr.size());
        assertEquals("r/g/1/0x1", arr.get(0).get("dedup_key").asText(), "sorted by key");
        assertEquals("ALL", arr.get(0).get("status").asText());
        assertEquals(1, JSON.readTree(call("GET", "/v1/alerts?host=h", null, "tok").body()).size());
        HttpResponse<String> bad = call("GET", "/v1/alerts?state=firing", null, "tok");
        assertEquals(400, bad.statusCode());
        assertEquals("state must be one of active, pending, resolved, all; got 'firing'",
                JSON.readTree(bad.body()).get("error").asText());
        assertEquals(404, call("GET", "/v2/alerts", null, "tok").statusCode());
        assertEquals(405, call("POST", "/v1/alerts", "{}", "tok").statusCode());
    }

    @Test
    void silences() throws Exception {
        HttpResponse<String> bad = call("POST", "/v1/silences", "{\"matchers\": {}}", "tok");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("matchers must be a non-empty object of label to value",
                JSON.readTree(bad.body()).get("error").asText());
        assertEquals(400, call("POST", "/v1/silences", "not json", "tok").statusCode());
        assertEquals(400, call("POST", "/v1/silences", "{\"matchers\": {\"host\": \"h\"}}", "tok").statusCode(),
                "needs an end");
        assertEquals(400, call("POST", "/v1/silences",
                "{\"matchers\": {\"severity\": \"info\"}, \"duration\": \"1h\"}", "tok").statusCode());

        HttpResponse<String> created = call("POST", "/v1/silences",
                "{\"matchers\": {\"host\": \"h\", \"rule\": \"r\"}, \"duration\": \"2h\", \"comment\": \"c\"}", "tok");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode s = JSON.readTree(created.body());
        assertEquals(NOW, s.get("starts_at_ms").asLong());
        assertEquals(NOW + 7_200_000, s.get("ends_at_ms").asLong());
        assertEquals(Map.of("host", "h", "rule", "r"), silences.get(0).getMatchers());
        String id = s.get("id").asText();
        assertTrue(created.headers().firstValue("Location").orElse("").endsWith(id));

        assertEquals(1, JSON.readTree(call("GET", "/v1/silences", null, "tok").body()).size());
        assertEquals(200, call("DELETE", "/v1/silences/" + id, null, "tok").statusCode());
        assertEquals(404, call("DELETE", "/v1/silences/" + id, null, "tok").statusCode());
    }
}
