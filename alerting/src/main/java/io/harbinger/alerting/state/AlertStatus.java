package io.harbinger.alerting.state;

/** Where one (rule, subject) alert is in its lifecycle. */
public enum AlertStatus {
    /** Condition false; nothing to tell. Not stored. */
    INACTIVE,
    /** Condition true for less than the rule's {@code for}; nothing notified yet. */
    PENDING,
    /** Forecast crosses the threshold within warn_within. */
    WARNING,
    /** Forecast crosses within critical_within, or the value is at or over the threshold. */
    CRITICAL,
    /** Was WARNING or CRITICAL, and the condition stayed false for resolve_after (or the subject went stale). */
    RESOLVED;

    public boolean firing() {
        return this == WARNING || this == CRITICAL;
    }

    /** Lower-case name, as silences and routes spell severities. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
