package io.harbinger.alerting.notify;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One HTTP sink: where alerts go, in which shape, and how hard to try.
 *
 * @param name           sink name; its consumer group is {@code <application.id>-sink-<name>}
 * @param type           payload shape
 * @param url            endpoint (PagerDuty: {@code https://events.pagerduty.com/v2/enqueue})
 * @param routingKey     PagerDuty integration key (routing_key); unused by webhooks
 * @param routes         deliver only alerts whose route is one of these; empty = every alert
 * @param retries        retries after the first attempt on I/O errors, 429 and 5xx (then the alert is counted
 *                       as failed and skipped)
 * @param backoff        first retry delay, doubled per retry
 * @param maxBackoff     cap of the retry delay
 * @param timeout        per-request timeout
 * @param bearerToken    sent as {@code Authorization: Bearer ...} when set (webhooks); never logged
 */
public record SinkConfig(String name, Type type, URI url, String routingKey, Set<String> routes, int retries,
                         Duration backoff, Duration maxBackoff, Duration timeout, String bearerToken) {
    public enum Type { PAGERDUTY, WEBHOOK }

    public static final int DEFAULT_RETRIES = 5;
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final URI PAGERDUTY_EVENTS_V2 = URI.create("https://events.pagerduty.com/v2/enqueue");

    public SinkConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(url, "url");
        routes = Set.copyOf(routes);
        if (type == Type.PAGERDUTY && (routingKey == null || routingKey.isBlank())) {
            throw new IllegalArgumentException("sink '" + name + "': a pagerduty sink needs routing.key");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("sink '" + name + "': retries must be >= 0");
        }
    }

    public boolean accepts(String route) {
        return routes.isEmpty() || (route != null && routes.contains(route));
    }

    @Override
    public String toString() {
        return "SinkConfig[name=" + name + ", type=" + type + ", url=" + url + ", routingKey="
                + (routingKey == null ? "none" : "set") + ", routes=" + routes + ", retries=" + retries
                + ", backoff=" + backoff + ", maxBackoff=" + maxBackoff + ", timeout=" + timeout + ", bearerToken="
                + (bearerToken == null ? "none" : "set") + "]";
    }
}
