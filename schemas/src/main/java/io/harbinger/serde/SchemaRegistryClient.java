package io.harbinger.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client for the Confluent Schema Registry REST API (also spoken by the Hortonworks registry at
 * {@code /api/v1/confluent}). Caches both ways: (subject, schema) → id and id → schema, so a steady producer or
 * consumer makes no registry calls. Retries I/O errors, 5xx and 429 with exponential backoff; other 4xx are final.
 * Thread-safe.
 */
public final class SchemaRegistryClient {
    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<SerdeConfig, SchemaRegistryClient> SHARED = new ConcurrentHashMap<>();

    private final SerdeConfig config;
    private final HttpClient http;
    private final String authHeader;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

    public SchemaRegistryClient(SerdeConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
        this.authHeader = config.basicAuthUserInfo() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
    }

    /** One client (and cache) per distinct configuration in this JVM, as serializers of one app share it. */
    public static SchemaRegistryClient shared(SerdeConfig config) {
        return SHARED.computeIfAbsent(config, SchemaRegistryClient::new);
    }

    public static SchemaRegistryClient forUrl(String url) {
        return new SchemaRegistryClient(SerdeConfig.forUrl(url));
    }

    public SerdeConfig config() {
        return config;
    }

    /** Registers {@code schema} under {@code subject} (idempotent in the registry) and returns its id. */
    public int register(String subject, Schema schema) {
        Integer cached = idsBySubject.getOrDefault(subject, Map.of()).get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode body = call("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema));
        int id = body.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException(200, -1, "registry answered without an id for subject " + subject);
        }
        remember(subject, schema, id);
        return id;
    }

    /** The id of {@code schema} under {@code subject} when it is registered there; a 404 SchemaRegistryException if not. */
    public int lookup(String subject, Schema schema) {
        Integer cached = idsBySubject.getOrDefault(subject, Map.of()).get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode body = call("POST", "/subjects/" + enc(subject), schemaBody(schema));
        int id = body.path("id").asInt(-1);
        remember(subject, schema, id);
        return id;
    }

    /** The latest version registered under {@code subject}. */
    public RegisteredSchema latest(String subject) {
        JsonNode body = call("GET", "/subjects/" + enc(subject) + "/versions/latest", null);
        Schema schema = new Schema.Parser().parse(body.path("schema").asText());
        int id = body.path("id").asInt();
        remember(subject, schema, id);
        return new RegisteredSchema(subject, body.path("version").asInt(), id, schema);
    }

    /** The schema with {@code id}; a 404 SchemaRegistryException when the registry does not know it. */
    public Schema byId(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode body = call("GET", "/schemas/ids/" + id, null);
        Schema schema = new Schema.Parser().parse(body.path("schema").asText());
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    /** Sets the subject's compatibility level (BACKWARD, FULL, ...). */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        call("PUT", "/config/" + enc(subject), body.toString());
    }

    public record RegisteredSchema(String subject, int version, int id, Schema schema) {}

    private void remember(String subject, Schema schema, int id) {
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
        schemasById.putIfAbsent(id, schema);
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(String method, String path, String body) {
        IOException lastIo = null;
        String lastError = null;
        long backoffMs = config.retryBackoff().toMillis();
        for (int attempt = 0; attempt <= config.retries(); attempt++) {
            if (attempt > 0) {
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
            for (String base : config.registryUrls()) {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(config.requestTimeout())
                        .header("Accept", CONTENT_TYPE + ", application/json");
                if (authHeader != null) {
                    req.header("Authorization", authHeader);
                }
                req.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
                if (body != null) {
                    req.header("Content-Type", CONTENT_TYPE);
                }
                HttpResponse<String> resp;
                try {
                    resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    lastIo = e;
                    log.debug("schema registry {} {}{} failed: {}", method, base, path, e.toString());
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WireFormatException(WireFormatException.Reason.REGISTRY_UNAVAILABLE,
                            "interrupted while calling the schema registry");
                }
                int status = resp.statusCode();
                if (status / 100 == 2) {
                    try {
                        return JSON.readTree(resp.body());
                    } catch (IOException e) {
                        throw new SchemaRegistryException(status, -1, "schema registry at " + base
                                + " answered with invalid JSON: " + e.getMessage());
                    }
                }
                if (status >= 500 || status == 429) {
                    lastError = "HTTP " + status + " from " + base + path;
                    continue;
                }
                throw error(status, base, path, resp.body());
            }
        }
        String cause = lastIo != null ? lastIo.toString() : lastError;
        throw new WireFormatException(WireFormatException.Reason.REGISTRY_UNAVAILABLE,
                "schema registry at " + String.join(",", config.registryUrls()) + " did not answer "
                        + method + " " + path + " after " + (config.retries() + 1) + " attempts: " + cause, lastIo);
    }

    private static SchemaRegistryException error(int status, String base, String path, String body) {
        int code = -1;
        String message = body;
        try {
            JsonNode n = JSON.readTree(body);
            code = n.path("error_code").asInt(-1);
            if (n.hasNonNull("message")) {
                message = n.get("message").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: keep the raw body
        }
        if (status == 401 || status == 403) {
            message = "not authorized (check " + SerdeConfig.BASIC_AUTH_USER_INFO + "): " + message;
        }
        return new SchemaRegistryException(status, code, "schema registry " + base + path + " answered "
                + status + (code >= 0 ? " (error " + code + ")" : "") + ": " + message);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
