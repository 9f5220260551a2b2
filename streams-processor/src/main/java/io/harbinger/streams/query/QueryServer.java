package io.harbinger.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallKey;
import io.harbinger.streams.json.JsonViews;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The streams processor's HTTP API (CONTRACTS.md "Query API") on the JDK's HTTP server: JSON out, 127.0.0.1 by
 * default, optional bearer token on every endpoint but /healthz. Bad parameters answer 400 with one line, unknown
 * keys 404, rebalancing 503 — never an empty 200.
 */
public final class QueryServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueryServer.class);

    private final HttpServer server;
    private final QueryService queries;
    private final byte[] bearerToken;
    private final Supplier<JsonNode> health;
    private final Supplier<String> metrics;

    public QueryServer(String bindHost, int port, QueryService queries, String bearerToken, Supplier<JsonNode> health,
                       Supplier<String> metrics) throws IOException {
        this.queries = queries;
        this.bearerToken = bearerToken == null ? null : bearerToken.getBytes(StandardCharsets.UTF_8);
        this.health = health;
        this.metrics = metrics;
        try {
            this.server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
        } catch (java.net.BindException e) {
            throw new java.net.BindException("cannot listen on " + bindHost + ":" + port + " (harbinger.http.port): "
                    + e.getMessage());
        }
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "query-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
        log.info("query API on http://{}:{}", server.getAddress().getHostString(), server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Extra routes (the dashboard) mounted beside the API. */
    public void addContext(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    private void handle(HttpExchange ex) throws IOException {
        // Not try-with-resources: that would close the exchange before the catch clauses answer.
        try {
            String path = ex.getRequestURI().getPath();
            if (!"GET".equals(ex.getRequestMethod())) {
                send(ex, 405, error("only GET is supported"));
                return;
            }
            if (path.equals("/healthz")) {
                JsonNode h = health.get();
                send(ex, h.path("ok").asBoolean() ? 200 : 503, h);
                return;
            }
            if (!authorized(ex)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                send(ex, 401, error("missing or wrong bearer token"));
                return;
            }
            if (path.equals("/metrics")) {
                byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
                return;
            }
            Map<String, String> q = params(ex.getRequestURI().getRawQuery());
            send(ex, 200, route(path, q));
        } catch (QueryException e) {
            send(ex, e.status(), error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            send(ex, 400, error(e.getMessage()));
        } catch (InvalidStateStoreException e) {
            send(ex, 503, error("state store not ready: " + e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("query {} failed", ex.getRequestURI(), e);
            send(ex, 500, error(e.toString()));
        } finally {
            ex.close();
        }
    }

    private JsonNode route(String path, Map<String, String> q) {
        boolean local = path.startsWith("/v1/local/");
        boolean stale = Boolean.parseBoolean(q.getOrDefault("stale", "false"));
        switch (path) {
            case "/v1/latency" -> {
                return queries.latency(syscallKey(q), longParam(q, "from", 0), longParam(q, "to", Long.MAX_VALUE));
            }
            case "/v1/latency/top" -> {
                int n = (int) longParam(q, "n", 10);
                if (n < 1 || n > 10_000) {
                    throw new IllegalArgumentException("n must be within 1..10000");
                }
                return queries.top(n);
            }
            case "/v1/latency/rollup" -> {
                return queries.rollup(required(q, "syscall"), q.get("host"), longParam(q, "from", 0),
                        longParam(q, "to", Long.MAX_VALUE));
            }
            case "/v1/maps" -> {
                return queries.maps(q.get("host"));
            }
            default -> {
            }
        }
        if (path.startsWith("/v1/maps/")) {
            String[] parts = path.substring("/v1/maps/".length()).split("/");
            if (parts.length != 3) {
                throw new IllegalArgumentException("expected /v1/maps/{host}/{pid}/{map_addr}");
            }
            return queries.map(new MapKey(decode(parts[0]), (int) parse("pid", parts[1]), parse("map_addr", parts[2])));
        }
        if (local) {
            switch (path) {
                case "/v1/local/latency" -> {
                    return queries.localLatency(syscallKey(q), longParam(q, "from", 0),
                            longParam(q, "to", Long.MAX_VALUE), (int) longParam(q, "partition", -1), stale);
                }
                case "/v1/local/latency/latest" -> {
                    return queries.localLatest(partitions(q), stale);
                }
                case "/v1/local/latency/rollup" -> {
                    return queries.localRollup(required(q, "syscall"), q.get("host"), longParam(q, "from", 0),
                            longParam(q, "to", Long.MAX_VALUE), partitions(q), stale);
                }
                case "/v1/local/maps" -> {
                    return queries.localMaps(q.get("host"), partitions(q), stale);
                }
                case "/v1/local/map" -> {
                    return queries.localMap(new MapKey(required(q, "host"), (int) longParam(q, "pid", 0),
                            longParam(q, "map_addr", 0)), (int) longParam(q, "partition", -1), stale);
                }
                default -> {
                }
            }
        }
        throw new QueryException(404, "no such endpoint: " + path);
    }

    private boolean authorized(HttpExchange ex) {
        if (bearerToken == null) {
            return true;
        }
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(bearerToken, h.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static SyscallKey syscallKey(Map<String, String> q) {
        return new SyscallKey(required(q, "host"), required(q, "comm"), required(q, "syscall"));
    }

    private static List<Integer> partitions(Map<String, String> q) {
        return Arrays.stream(required(q, "partitions").split(",")).map(s -> (int) parse("partitions", s)).toList();
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing query parameter '" + name + "'");
        }
        return v;
    }

    private static long longParam(Map<String, String> q, String name, long dflt) {
        String v = q.get(name);
        return v == null || v.isEmpty() ? dflt : parse(name, v);
    }

    private static long parse(String name, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' must be an integer, got '" + v + "'");
        }
    }

    static Map<String, String> params(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            m.put(k, v);
        }
        return m;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode error(String message) {
        return JsonViews.JSON.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JsonViews.JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
