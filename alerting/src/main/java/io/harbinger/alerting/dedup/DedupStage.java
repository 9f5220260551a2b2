package io.harbinger.alerting.dedup;

import io.harbinger.alerting.state.AlertStatus;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether an alert's current status needs a notification, given what was last sent
 * (after Alertmanager's {@code DedupStage.needsUpdate}). Pure: time comes in.
 *
 * <p>Firing alerts notify once per status (a new episode, an escalation), then again only after the repeat interval.
 * A muted (silenced or inhibited) firing alert is not notified, and its state is kept. A RESOLVED is sent only when
 * a firing status was sent before, and muting never withholds it: tooling that opened an incident gets to close it.
 */
public final class DedupStage {
    public enum Decision {
        /** First notification of a firing episode. */
        FIRING,
        /** The firing severity changed since the last notification. */
        CHANGED,
        /** Same firing severity, repeat interval elapsed. */
        REPEAT,
        /** Resolved after a firing notification. */
        RESOLVED,
        /** Already notified, repeat interval not elapsed. */
        UNCHANGED,
        /** Firing, but silenced or inhibited. */
        MUTED,
        /** Pending or inactive: nothing to tell. */
        NOT_FIRING,
        /** Resolved, but its firing was never notified. */
        NOT_NOTIFIED;

        public boolean notifies() {
            return this == FIRING || this == CHANGED || this == REPEAT || this == RESOLVED;
        }
    }

    private DedupStage() {}

    /**
     * @param last    the last notification for this alert, or null
     * @param current the alert's status now
     * @param muted   silenced or inhibited now
     * @param repeat  repeat interval; zero = never repeat
     */
    public static Decision needsUpdate(NotificationEntry last, AlertStatus current, boolean muted, Duration repeat,
                                       Instant now) {
        boolean lastFiring = last != null && last.status().firing();
        if (current == AlertStatus.RESOLVED) {
            return lastFiring ? Decision.RESOLVED : Decision.NOT_NOTIFIED;
        }
        if (!current.firing()) {
            return Decision.NOT_FIRING;
        }
        if (muted) {
            return Decision.MUTED;
        }
        if (!lastFiring) {
            return Decision.FIRING;
        }
        if (last.status() != current) {
            return Decision.CHANGED;
        }
        if (!repeat.isZero() && now.toEpochMilli() - last.atMs() >= repeat.toMillis()) {
            return Decision.REPEAT;
        }
        return Decision.UNCHANGED;
    }
}
