package io.harbinger.streams.dashboard;

import com.sun.net.httpserver.HttpExchange;
import io.harbinger.streams.query.QueryServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The web dashboard, served by the streams processor beside its query API:
 * <ul>
 *   <li>{@code /dashboard/} — static files from the jar ({@code dashboard/} on the classpath): plain JS and SVG, fed
 *       by the query API ({@code /v1/latency/top}, {@code /v1/latency/rollup}, {@code /v1/latency});</li>
 *   <li>{@code /dashboard/api/maps} — every map's latest trend with its recent history ({@link MapHistory});</li>
 *   <li>{@code /dashboard/api/alerts} — the alerting service's {@code GET /v1/alerts?state=...}, proxied so the page
 *       needs neither CORS nor a second origin.</li>
 * </ul>
 * Settings (streams properties): {@value #ENABLED} (true), {@value #ALERTING_URL} (http://127.0.0.1:8095),
 * {@value #ALERTING_TOKEN} (none: the alerting API's bearer token, when it has one). The processor's own
 * {@code harbinger.http.token}, when set, guards these routes as it guards the API.
 */
public final class Dashboard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
    public static final String ENABLED = "harbinger.dashboard.enabled";
    public static final String ALERTING_URL = "harbinger.dashboard.alerting.url";
    public static final String ALERTING_TOKEN = "harbinger.dashboard.alerting.token";
    public static final String DEFAULT_ALERTING_URL = "http://127.0.0.1:8095";
    static final String RESOURCE_ROOT = "dashboard/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "json", "application/json");

    private final MapHistory history = new MapHistory(200, 720);
    private final MapHistoryFeed feed;
    private final URI alertingUrl;
    private final String alertingToken;
    private final byte[] token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Dashboard(Properties props, String bearerToken) {
        Map<String, Object> client = new java.util.HashMap<>();
        props.forEach((k, v) -> client.put(k.toString(), v));
        this.feed = new MapHistoryFeed(client, history);
        String url = props.getProperty(ALERTING_URL, DEFAULT_ALERTING_URL).trim();
        this.alertingUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        String t = props.getProperty(ALERTING_TOKEN);
        this.alertingToken = t == null || t.isBlank() ? null : t.trim();
        this.token = bearerToken == null ? null : bearerToken.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Mounts the dashboard on {@code server} unless {@value #ENABLED} is false; returns what to close, or null.
     *
     * @param props       the processor's Kafka/serde properties (the history feed reads the trends topic with them)
     * @param bearerToken the query API's token, or null
     */
    public static Dashboard mount(QueryServer server, Properties props, String bearerToken) {
        if (!Boolean.parseBoolean(props.getProperty(ENABLED, "true").trim())) {
            return null;
        }
        Dashboard d = new Dashboard(props, bearerToken);
        server.addContext("/dashboard", d::handle);
        d.feed.start();
        return d;
    }

    /** Maps the history feed knows (for tests and metrics). */
    public int mapsInHistory() {
        return history.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            if (!"GET".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain", "only GET is supported".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/dashboard")) {
                ex.getResponseHeaders().add("Location", "/dashboard/");
                send(ex, 302, "text/plain", new byte[0]);
                return;
            }
            if (path.startsWith("/dashboard/api/")) {
                if (!authorized(ex)) {
                    send(ex, 401, "application/json", "{\"error\":\"missing or wrong bearer token\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                switch (path) {
                    case "/dashboard/api/maps" -> send(ex, 200, "application/json",
                            history.toJson().toString().getBytes(StandardCharsets.UTF_8));
                    case "/dashboard/api/alerts" -> proxyAlerts(ex);
                    default -> send(ex, 404, "application/json", "{\"error\":\"no such endpoint\"}".getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            staticFile(ex, path.equals("/dashboard/") ? "index.html" : path.substring("/dashboard/".length()));
        } catch (RuntimeException e) {
            log.warn("dashboard request {} failed", ex.getRequestURI(), e);
            send(ex, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
        } finally {
            ex.close();
        }
    }

    private void staticFile(HttpExchange ex, String name) throws IOException {
        if (name.isEmpty() || name.contains("..") || name.startsWith("/") || !name.matches("[A-Za-z0-9._/-]+")) {
            send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + name)) {
            if (in == null) {
                send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String ext = name.substring(name.lastIndexOf('.') + 1);
            ex.getResponseHeaders().add("Cache-Control", "no-cache");
            send(ex, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
        }
    }

    private void proxyAlerts(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        URI target = URI.create(alertingUrl + "/v1/alerts" + (query == null ? "?state=active" : "?" + query));
        HttpRequest.Builder req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).GET();
        if (alertingToken != null) {
            req.header("Authorization", "Bearer " + alertingToken);
        }
        try {
            HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            send(ex, r.statusCode(), "application/json", r.body());
        } catch (IOException e) {
            send(ex, 502, "application/json", ("{\"error\":\"alerting service at " + alertingUrl + " unreachable: "
                    + String.valueOf(e.getMessage()).replace('"', '\'') + "\"}").getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(ex, 503, "application/json", "{\"error\":\"interrupted\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private boolean authorized(HttpExchange ex) {
        if (token == null) {
            return true;
        }
        String h = ex.getRequestHeaders().getFirst("Authorization");
        return h != null && h.startsWith("Bearer ")
                && MessageDigest.isEqual(token, h.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        }
    }

    @Override
    public void close() {
        feed.close();
    }
}
