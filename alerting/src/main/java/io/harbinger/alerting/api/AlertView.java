package io.harbinger.alerting.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.alerting.rule.Rule;
import io.harbinger.alerting.state.AlertEntry;
import io.harbinger.alerting.state.AlertState;
import io.harbinger.alerting.state.AlertStatus;

import java.util.Locale;
import java.util.Set;

/** How {@code GET /v1/alerts} shows one alert: the alerts.jsonl fields plus its lifecycle and muting. */
public final class AlertView {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code state=} filter. */
    public enum Filter {
        ACTIVE(Set.of(AlertStatus.WARNING, AlertStatus.CRITICAL)),
        PENDING(Set.of(AlertStatus.PENDING)),
        RESOLVED(Set.of(AlertStatus.RESOLVED)),
        ALL(Set.of(AlertStatus.PENDING, AlertStatus.WARNING, AlertStatus.CRITICAL, AlertStatus.RESOLVED));

        private final Set<AlertStatus> statuses;

        Filter(Set<AlertStatus> statuses) {
            this.statuses = statuses;
        }

        public boolean accepts(AlertStatus s) {
            return statuses.contains(s);
        }

        /** @throws IllegalArgumentException naming the accepted values */
        public static Filter parse(String s) {
            if (s == null || s.isEmpty()) {
                return ACTIVE;
            }
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("state must be one of active, pending, resolved, all; got '" + s
                        + "'");
            }
        }
    }

    private AlertView() {}

    public static ObjectNode toJson(AlertEntry e, Rule rule) {
        AlertState s = e.state();
        ObjectNode n = JSON.createObjectNode();
        n.put("dedup_key", e.dedupKey());
        n.put("rule", e.rule());
        n.put("metric", rule == null ? null : rule.metric().id());
        n.put("status", s.status().name());
        n.put("severity", s.status().firing() || s.status() == AlertStatus.RESOLVED ? s.status().name() : null);
        n.put("host", e.host());
        n.put("pid", e.pid());
        n.put("map_addr", e.mapAddr());
        n.put("comm", e.comm());
        n.put("syscall", e.syscall());
        n.put("since_ms", s.statusSinceMs());
        n.put("episode_started_at_ms", s.episodeStartMs());
        n.put("last_evaluated_at_ms", s.lastEvalMs());
        n.put("value", s.value());
        n.put("threshold", rule == null ? null : rule.threshold());
        n.put("predicted_breach_at_ms", s.etaMs());
        n.put("silenced_by", e.silencedBy());
        n.put("inhibited_by", e.inhibitedBy());
        n.put("last_notified", e.notified() == null ? null : e.notified().status().name());
        n.put("last_notified_at_ms", e.notified() == null ? null : e.notified().atMs());
        return n;
    }
}
