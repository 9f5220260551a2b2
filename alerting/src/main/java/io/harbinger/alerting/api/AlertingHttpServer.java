package io.harbinger.alerting.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.harbinger.alerting.silence.SilenceRequest;
import io.harbinger.schema.Silence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The alerting REST API on the JDK's HttpServer, 127.0.0.1 by default:
 * {@code GET /v1/alerts?state=active|pending|resolved|all}, {@code GET/POST /v1/silences},
 * {@code DELETE /v1/silences/{id}}, {@code GET /healthz}, {@code GET /metrics}. With a bearer token configured every
 * endpoint but /healthz answers 401 without it. Errors are JSON {@code {"error": "one line"}}.
 */
public final class AlertingHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertingHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final AlertingBackend backend;
    private final byte[] token;
    private final Clock clock;

    private AlertingHttpServer(HttpServer server, AlertingBackend backend, String token, Clock clock) {
        this.server = server;
        this.backend = backend;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "alerting-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Binds and starts; port 0 picks a free port. */
    public static AlertingHttpServer start(String host, int port, String token, AlertingBackend backend, Clock clock)
            throws IOException {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(host, port), 32);
        } catch (java.net.BindException e) {
            throw new java.net.BindException("cannot listen on " + host + ":" + port + " (alerting.http.port): "
                    + e.getMessage());
        }
        AlertingHttpServer api = new AlertingHttpServer(s, backend, token, clock);
        s.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        // The catch clauses answer on the exchange, so it is closed after them, not by a try-with-resources.
        try {
            route(ex);
        } catch (MethodNotAllowed e) {
            ex.getResponseHeaders().add("Allow", e.getMessage());
            error(ex, 405, "use " + e.getMessage());
        } catch (IllegalArgumentException e) {
            error(ex, 400, e.getMessage());
        } catch (AlertingBackend.Unavailable e) {
            error(ex, 503, e.getMessage());
        } catch (RuntimeException e) {
            log.error("{} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            error(ex, 500, "internal error: " + e.getClass().getSimpleName());
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/healthz")) {
            requireMethod(ex, "GET");
            String why = backend.unhealthy();
            ObjectNode n = JSON.createObjectNode().put("status", why == null ? "ok" : "unhealthy");
            if (why != null) {
                n.put("reason", why);
            }
            send(ex, why == null ? 200 : 503, n);
            return;
        }
        if (!authorized(ex)) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"harbinger\"");
            error(ex, 401, "missing or wrong bearer token");
            return;
        }
        if (path.equals("/metrics")) {
            requireMethod(ex, "GET");
            byte[] body = backend.metrics();
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            return;
        }
        if (path.equals("/v1/alerts")) {
            requireMethod(ex, "GET");
            Map<String, String> q = query(ex);
            AlertView.Filter filter = AlertView.Filter.parse(q.get("state"));
            List<ObjectNode> alerts = backend.alerts(filter, "true".equals(q.get("local")));
            ArrayNode arr = JSON.createArrayNode();
            alerts.stream()
                    .filter(a -> match(a, q, "rule") && match(a, q, "host") && match(a, q, "comm")
                            && match(a, q, "syscall"))
                    .sorted(java.util.Comparator.comparing(a -> a.get("dedup_key").asText()))
                    .forEach(arr::add);
            send(ex, 200, arr);
            return;
        }
        if (path.equals("/v1/silences")) {
            if (method.equals("GET")) {
                ArrayNode arr = JSON.createArrayNode();
                for (Silence s : backend.silences()) {
                    arr.add(silenceJson(s));
                }
                send(ex, 200, arr);
                return;
            }
            requireMethod(ex, "POST");
            JsonNode body;
            try (InputStream in = ex.getRequestBody()) {
                byte[] bytes = in.readNBytes(MAX_BODY + 1);
                if (bytes.length > MAX_BODY) {
                    throw new IllegalArgumentException("body larger than " + MAX_BODY + " bytes");
                }
                body = JSON.readTree(bytes);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("body is not JSON: " + e.getOriginalMessage());
            }
            Silence created = backend.createSilence(SilenceRequest.parse(body, clock.millis()));
            ex.getResponseHeaders().add("Location", "/v1/silences/" + created.getId());
            send(ex, 201, silenceJson(created));
            return;
        }
        if (path.startsWith("/v1/silences/")) {
            requireMethod(ex, "DELETE");
            String id = URLDecoder.decode(path.substring("/v1/silences/".length()), StandardCharsets.UTF_8);
            if (backend.deleteSilence(id)) {
                send(ex, 200, JSON.createObjectNode().put("deleted", id));
            } else {
                error(ex, 404, "no silence '" + id + "'");
            }
            return;
        }
        error(ex, 404, "no such endpoint: " + path);
    }

    private boolean authorized(HttpExchange ex) {
        if (token == null) {
            return true;
        }
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, h.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean match(ObjectNode a, Map<String, String> q, String field) {
        String want = q.get(field);
        return want == null || (a.hasNonNull(field) && a.get(field).asText().equals(want));
    }

    static ObjectNode silenceJson(Silence s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", s.getId());
        ObjectNode m = n.putObject("matchers");
        s.getMatchers().forEach(m::put);
        n.put("starts_at_ms", s.getStartsAtMs());
        n.put("ends_at_ms", s.getEndsAtMs());
        n.put("created_by", s.getCreatedBy());
        n.put("comment", s.getComment());
        return n;
    }

    private static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed(String allowed) {
            super(allowed);
        }
    }

    private static void requireMethod(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equals(method)) {
            throw new MethodNotAllowed(method);
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int i = kv.indexOf('=');
                if (i > 0) {
                    q.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static void send(HttpExchange ex, int code, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void error(HttpExchange ex, int code, String message) throws IOException {
        send(ex, code, JSON.createObjectNode().put("error", message));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
