package io.harbinger.platform.testing;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real registry answers the Confluent API calls our serde makes. */
class TestSchemaRegistryIT {
    private static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"io.harbinger.test\",\"fields\":[{\"name\":\"n\",\"type\":\"long\"}]}";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void registersASchemaAndLooksItUpById() throws Exception {
        TestSchemaRegistry registry = TestSchemaRegistry.shared();
        System.out.printf("registry ready in %d ms at %s%n", registry.startTime().toMillis(), registry.url());
        String body = "{\"schema\":" + quote(SCHEMA) + "}";

        HttpResponse<String> first = post(registry.url() + "/subjects/harness-probe-value/versions", body);
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().matches("\\{\"id\":\\d+}"), first.body());
        HttpResponse<String> again = post(registry.url() + "/subjects/harness-probe-value/versions", body);
        assertEquals(first.body(), again.body(), "registering the same schema again returns the same id");

        String id = first.body().replaceAll("\\D", "");
        HttpResponse<String> byId = get(registry.url() + "/schemas/ids/" + id);
        assertEquals(200, byId.statusCode());
        assertTrue(byId.body().contains("io.harbinger.test") && byId.body().contains("\\\"n\\\""), byId.body());

        HttpResponse<String> unknown = get(registry.url() + "/schemas/ids/987654");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("40403"), unknown.body());
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
