package io.harbinger.alerting.inhibit;

import io.harbinger.alerting.state.AlertStatus;

import java.util.Map;
import java.util.Optional;

/**
 * CRITICAL inhibits WARNING of the same subject (Alertmanager's inhibit rule with source severity=critical,
 * target severity=warning, equal on the subject's identity). The caller passes the alerts of one subject only,
 * so "same subject" needs no label comparison here. A silenced CRITICAL still inhibits, as in Alertmanager.
 */
public final class Inhibitor {
    private Inhibitor() {}

    /**
     * @param key             dedup key of the alert in question
     * @param status          its status
     * @param subjectStatuses every alert of the same subject, by dedup key (may include {@code key} itself)
     * @return the dedup key of an inhibiting alert, if any
     */
    public static Optional<String> inhibitedBy(String key, AlertStatus status, Map<String, AlertStatus> subjectStatuses) {
        if (status != AlertStatus.WARNING) {
            return Optional.empty();
        }
        return subjectStatuses.entrySet().stream()
                .filter(e -> !e.getKey().equals(key) && e.getValue() == AlertStatus.CRITICAL)
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst();
    }
}
