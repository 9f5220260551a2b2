package io.harbinger.collector.metrics;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.net.InetSocketAddress;

/**
 * Serves {@code GET /metrics} (Prometheus text) and {@code GET /healthz}, bound to 127.0.0.1 by default; with a token,
 * /metrics needs {@code Authorization: Bearer <token>}.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    public MetricsServer(String bind, int port, PrometheusRegistry registry) throws IOException {
        this(bind, port, null, registry);
    }

    /** @param token when not null, /metrics answers 401 unless {@code Authorization: Bearer <token>} (not /healthz) */
    public MetricsServer(String bind, int port, String token, PrometheusRegistry registry) throws IOException {
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        } catch (java.net.BindException e) {
            throw new java.net.BindException("cannot listen on " + bind + ":" + port + " (metrics port): "
                    + e.getMessage());
        }
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        byte[] expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        server.createContext("/metrics", ex -> {
            try (ex) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (expected != null && (auth == null
                        || !MessageDigest.isEqual(expected, auth.trim().getBytes(StandardCharsets.UTF_8)))) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                writer.write(buf, registry.scrape());
                ex.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
                ex.sendResponseHeaders(200, buf.size());
                try (OutputStream out = ex.getResponseBody()) {
                    buf.writeTo(out);
                }
            } catch (RuntimeException e) {
                ex.sendResponseHeaders(500, -1);
            }
        });
        server.createContext("/healthz", ex -> {
            try (ex) {
                byte[] ok = "ok\n".getBytes();
                ex.sendResponseHeaders(200, ok.length);
                ex.getResponseBody().write(ok);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
