package io.harbinger.alerting.notify;

import io.harbinger.schema.Alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The alert's fields as a flat JSON-ready map, for PagerDuty custom_details and webhook annotations. */
final class AlertDetails {
    private AlertDetails() {}

    static Map<String, Object> of(Alert a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rule", a.getRule());
        d.put("metric", a.getMetric());
        d.put("severity", a.getSeverity().name());
        if (a.getPreviousSeverity() != null) {
            d.put("previous_severity", a.getPreviousSeverity().name());
        }
        d.put("value", a.getValue());
        d.put("threshold", a.getThreshold());
        if (a.getPredictedBreachAtMs() != null) {
            d.put("predicted_breach_at", Instant.ofEpochMilli(a.getPredictedBreachAtMs()).toString());
        }
        if (a.getEpisodeStartedAtMs() != null) {
            d.put("episode_started_at", Instant.ofEpochMilli(a.getEpisodeStartedAtMs()).toString());
        }
        putIfSet(d, "host", a.getHost());
        putIfSet(d, "pid", a.getPid());
        putIfSet(d, "map_addr", a.getMapAddr() == null ? null : "0x" + Long.toHexString(a.getMapAddr()));
        putIfSet(d, "comm", a.getComm());
        putIfSet(d, "syscall", a.getSyscall());
        putIfSet(d, "route", a.getRoute());
        d.put("repeat", a.getRepeat());
        d.put("labels", a.getLabels());
        return d;
    }

    private static void putIfSet(Map<String, Object> d, String k, Object v) {
        if (v != null) {
            d.put(k, v);
        }
    }
}
