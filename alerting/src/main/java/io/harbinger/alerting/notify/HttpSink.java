package io.harbinger.alerting.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harbinger.alerting.AlertingMetrics;
import io.harbinger.schema.Alert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Posts alerts to one HTTP endpoint in the sink's shape (PagerDuty Events v2 or Alertmanager webhook v4), with
 * retries: I/O errors, 408, 429 and 5xx are retried with exponential backoff (doubling from {@code backoff}, capped
 * at {@code maxBackoff}, a 429's Retry-After honoured up to the cap); other 4xx are final (the payload will not get
 * better). An alert that still fails is counted ({@code harbinger_alerting_sink_deliveries_total{outcome="failed"}})
 * and logged, never silently dropped. JDK HttpClient; the token is never logged.
 */
public final class HttpSink {
    private static final Logger log = LoggerFactory.getLogger(HttpSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Outcome { DELIVERED, FAILED, SKIPPED }

    /** How the sink waits between attempts; tests may record instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final SinkConfig config;
    private final HttpClient client;
    private final Sleeper sleeper;
    private final AlertingMetrics metrics = AlertingMetrics.shared();

    public HttpSink(SinkConfig config) {
        this(config, d -> Thread.sleep(d.toMillis()));
    }

    public HttpSink(SinkConfig config, Sleeper sleeper) {
        this.config = config;
        this.sleeper = sleeper;
        this.client = HttpClient.newBuilder().connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public SinkConfig config() {
        return config;
    }

    /** The request body for an alert, in this sink's shape. */
    public byte[] body(Alert alert) {
        Map<String, Object> msg = config.type() == SinkConfig.Type.PAGERDUTY
                ? PagerDutyEvent.of(alert, config.routingKey())
                : AlertmanagerWebhook.of(alert, config.name());
        try {
            return JSON.writeValueAsBytes(msg);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode alert " + alert.getDedupKey(), e);
        }
    }

    /** Delivers one alert, retrying as configured. Blocks; interruptible. */
    public Outcome deliver(Alert alert) throws InterruptedException {
        if (!config.accepts(alert.getRoute())) {
            metrics.sinkDeliveries.labelValues(config.name(), "skipped").inc();
            return Outcome.SKIPPED;
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(config.url())
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "harbinger-alerting")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(alert)));
        if (config.bearerToken() != null) {
            req.header("Authorization", "Bearer " + config.bearerToken());
        }
        HttpRequest request = req.build();
        Duration backoff = config.backoff();
        String last = "";
        for (int attempt = 0; attempt <= config.retries(); attempt++) {
            if (attempt > 0) {
                metrics.sinkRetries.labelValues(config.name()).inc();
                sleeper.sleep(backoff);
                backoff = min(backoff.multipliedBy(2), config.maxBackoff());
            }
            try {
                HttpResponse<String> resp = client.send(request, HttpResponse.BodyHandlers.ofString());
                int code = resp.statusCode();
                if (code >= 200 && code < 300) {
                    metrics.sinkDeliveries.labelValues(config.name(), "delivered").inc();
                    return Outcome.DELIVERED;
                }
                last = "HTTP " + code + " " + abbreviate(resp.body());
                if (!(code == 408 || code == 429 || code >= 500)) {
                    break;
                }
                if (code == 429) {
                    backoff = min(retryAfter(resp).orElse(backoff), config.maxBackoff());
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        metrics.sinkDeliveries.labelValues(config.name(), "failed").inc();
        log.error("sink {}: failed to deliver alert {} ({}) to {}: {}", config.name(), alert.getDedupKey(),
                alert.getSeverity(), config.url(), last);
        return Outcome.FAILED;
    }

    private static java.util.Optional<Duration> retryAfter(HttpResponse<?> resp) {
        return resp.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        });
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }
}
