package io.harbinger.alerting.notify;

import io.harbinger.schema.Alert;
import io.harbinger.schema.AlertSeverity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An alert as an Alertmanager webhook (version 4) message
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config), one alert per message grouped by its
 * dedup key, so receivers written for Alertmanager work unchanged. Pure.
 */
public final class AlertmanagerWebhook {
    /** Alertmanager's "not ended" endsAt. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private AlertmanagerWebhook() {}

    public static Map<String, Object> of(Alert a, String receiver) {
        boolean resolved = a.getSeverity() == AlertSeverity.RESOLVED;
        String status = resolved ? "resolved" : "firing";
        Map<String, String> labels = labels(a);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", a.getSummary());
        annotations.put("value", Double.toString(a.getValue()));
        annotations.put("threshold", Double.toString(a.getThreshold()));
        if (a.getPredictedBreachAtMs() != null) {
            annotations.put("predicted_breach_at", Instant.ofEpochMilli(a.getPredictedBreachAtMs()).toString());
        }
        if (a.getRoute() != null) {
            annotations.put("route", a.getRoute());
        }
        long startsAt = a.getEpisodeStartedAtMs() != null ? a.getEpisodeStartedAtMs() : a.getFiredAtMs();
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("status", status);
        alert.put("labels", labels);
        alert.put("annotations", annotations);
        alert.put("startsAt", Instant.ofEpochMilli(startsAt).toString());
        alert.put("endsAt", resolved ? Instant.ofEpochMilli(a.getFiredAtMs()).toString() : ZERO_TIME);
        alert.put("generatorURL", "");
        alert.put("fingerprint", fingerprint(a.getDedupKey()));

        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("version", "4");
        msg.put("groupKey", "{}:{dedup_key=\"" + a.getDedupKey().replace("\"", "\\\"") + "\"}");
        msg.put("truncatedAlerts", 0);
        msg.put("status", status);
        msg.put("receiver", receiver);
        msg.put("groupLabels", Map.of("dedup_key", a.getDedupKey()));
        msg.put("commonLabels", labels);
        msg.put("commonAnnotations", annotations);
        msg.put("externalURL", "");
        msg.put("alerts", List.of(alert));
        return msg;
    }

    static Map<String, String> labels(Alert a) {
        Map<String, String> l = new LinkedHashMap<>(new HashMap<>(a.getLabels()));
        l.put("alertname", a.getRule());
        AlertSeverity sev = a.getSeverity() == AlertSeverity.RESOLVED && a.getPreviousSeverity() != null
                ? a.getPreviousSeverity() : a.getSeverity();
        l.put("severity", sev.name().toLowerCase(Locale.ROOT));
        l.put("metric", a.getMetric());
        l.put("dedup_key", a.getDedupKey());
        return l;
    }

    /** 16 hex digits, stable per alert, as Alertmanager's fingerprints look. */
    static String fingerprint(String dedupKey) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(dedupKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
