package io.harbinger.alerting.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.schema.Alert;

/**
 * An alert record as one line of the backtest's {@code alerts.jsonl} (CONTRACTS.md, "Backtest outputs"): the
 * contract fields in contract order (null where they do not apply), then ours (dedup_key, metric,
 * previous_severity, episode_started_at_ms, route, repeat).
 */
public final class AlertJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertJson() {}

    public static ObjectNode toJson(Alert a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("rule", a.getRule());
        n.put("severity", a.getSeverity().name());
        n.put("host", a.getHost());
        n.put("pid", a.getPid());
        n.put("map_addr", a.getMapAddr());
        n.put("comm", a.getComm());
        n.put("syscall", a.getSyscall());
        n.put("fired_at_ms", a.getFiredAtMs());
        n.put("value", a.getValue());
        n.put("threshold", a.getThreshold());
        n.put("predicted_breach_at_ms", a.getPredictedBreachAtMs());
        n.put("summary", a.getSummary());
        n.put("dedup_key", a.getDedupKey());
        n.put("metric", a.getMetric());
        n.put("previous_severity", a.getPreviousSeverity() == null ? null : a.getPreviousSeverity().name());
        n.put("episode_started_at_ms", a.getEpisodeStartedAtMs());
        n.put("route", a.getRoute());
        n.put("repeat", a.getRepeat());
        return n;
    }
}
