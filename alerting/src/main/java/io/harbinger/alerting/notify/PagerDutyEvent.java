package io.harbinger.alerting.notify;

import io.harbinger.schema.Alert;
import io.harbinger.schema.AlertSeverity;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An alert as a PagerDuty Events API v2 event (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/).
 * WARNING/CRITICAL trigger, RESOLVED resolves; the dedup_key is the alert's, so PagerDuty groups every state change
 * of one (rule, subject) into one incident and a repeat is a no-op there. Pure.
 */
public final class PagerDutyEvent {
    /** PagerDuty truncates summaries at 1024 characters; we do it ourselves so the cut is visible. */
    static final int MAX_SUMMARY = 1024;

    private PagerDutyEvent() {}

    public static Map<String, Object> of(Alert a, String routingKey) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("routing_key", routingKey);
        boolean resolve = a.getSeverity() == AlertSeverity.RESOLVED;
        event.put("event_action", resolve ? "resolve" : "trigger");
        event.put("dedup_key", a.getDedupKey());
        if (resolve) {
            return event;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("summary", truncate(a.getSummary()));
        payload.put("source", a.getHost() == null ? "unknown" : a.getHost());
        payload.put("severity", a.getSeverity() == AlertSeverity.CRITICAL ? "critical" : "warning");
        payload.put("timestamp", Instant.ofEpochMilli(a.getFiredAtMs()).toString());
        if (a.getComm() != null) {
            payload.put("component", a.getComm());
        }
        payload.put("group", a.getRule());
        payload.put("class", a.getMetric());
        payload.put("custom_details", AlertDetails.of(a));
        event.put("payload", payload);
        event.put("client", "Harbinger");
        return event;
    }

    private static String truncate(String s) {
        return s.length() <= MAX_SUMMARY ? s : s.substring(0, MAX_SUMMARY - 1) + "…";
    }
}
