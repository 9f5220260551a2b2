package io.harbinger.collector.metrics;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/** Serves {@code GET /metrics} (Prometheus text) and {@code GET /healthz}, bound to 127.0.0.1 by default. */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    public MetricsServer(String bind, int port, PrometheusRegistry registry) throws IOException {
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        } catch (java.net.BindException e) {
            throw new java.net.BindException("cannot listen on " + bind + ":" + port + " (metrics port): "
                    + e.getMessage());
        }
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        server.createContext("/metrics", ex -> {
            try (ex) {
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
