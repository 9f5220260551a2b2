package io.harbinger.serde;

import com.sun.net.httpserver.HttpServer;
import io.harbinger.schema.MapKey;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's HTTP behaviour that the real registry (tested in platform's RegistryInteropIT) cannot be made to
 * show: retries with backoff on 5xx, failover between URLs, basic auth, a clear 401, caching both ways. A scripted
 * HTTP endpoint on loopback answers; it is not a registry.
 */
class SchemaRegistryClientTest {
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failStatus = 503;
    private static final Schema SCHEMA = MapKey.getClassSchema();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authHeaders.add(auth == null ? "" : auth);
            byte[] body;
            int status;
            if (failuresLeft.getAndDecrement() > 0) {
                status = failStatus;
                body = "{\"error_code\":50001,\"message\":\"scripted failure\"}".getBytes(StandardCharsets.UTF_8);
            } else if (ex.getRequestURI().getPath().startsWith("/schemas/ids/7")) {
                status = 200;
                body = ("{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(SCHEMA.toString())
                        + "}").getBytes(StandardCharsets.UTF_8);
            } else if (ex.getRequestURI().getPath().startsWith("/schemas/ids/")) {
                status = 404;
                body = "{\"error_code\":40403,\"message\":\"Schema not found\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                body = "{\"id\":7}".getBytes(StandardCharsets.UTF_8);
            }
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private SchemaRegistryClient client(Map<String, Object> extra) {
        Map<String, Object> c = new java.util.HashMap<>(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url(),
                SerdeConfig.RETRY_BACKOFF_MS, 10));
        c.putAll(extra);
        return new SchemaRegistryClient(SerdeConfig.from(c));
    }

    @Test
    void retriesServerErrorsThenCachesBothWays() {
        failuresLeft.set(2);
        SchemaRegistryClient c = client(Map.of());
        assertEquals(7, c.register("t-key", SCHEMA));
        assertEquals(3, requests.size(), "two 503s, then success: " + requests);
        assertEquals(7, c.register("t-key", SCHEMA));
        assertEquals(SCHEMA, c.byId(7));
        assertEquals(3, requests.size(), "served from the caches: " + requests);
    }

    @Test
    void givesUpAfterTheConfiguredRetriesAsRegistryUnavailable() {
        failuresLeft.set(100);
        SchemaRegistryClient c = client(Map.of(SerdeConfig.RETRIES, 2));
        WireFormatException e = assertThrows(WireFormatException.class, () -> c.register("t-key", SCHEMA));
        assertEquals(WireFormatException.Reason.REGISTRY_UNAVAILABLE, e.reason());
        assertEquals(3, requests.size());
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
    }

    @Test
    void failsOverToTheNextUrlWhenOneIsDown() {
        Map<String, Object> c = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1," + url(),
                SerdeConfig.RETRY_BACKOFF_MS, 10);
        assertEquals(7, new SchemaRegistryClient(SerdeConfig.from(c)).register("t-key", SCHEMA));
    }

    @Test
    void sendsBasicAuthAndExplainsA401() {
        SchemaRegistryClient c = client(Map.of(SerdeConfig.BASIC_AUTH_USER_INFO, "alice:s3cret"));
        c.register("t-key", SCHEMA);
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)),
                authHeaders.get(0));
        failuresLeft.set(1);
        failStatus = 401;
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> c.register("other-key", SCHEMA));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("not authorized (check basic.auth.user.info)"), e.getMessage());
        assertTrue(!e.getMessage().contains("s3cret"), "the password is never in a message");
        assertEquals(2, requests.size(), "4xx is not retried");
    }

    @Test
    void anUnknownIdIsANotFound() {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client(Map.of()).byId(99));
        assertTrue(e.notFound());
        assertEquals(40403, e.errorCode());
    }
}
