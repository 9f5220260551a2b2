package io.harbinger.alerting.state;

/** The result of one lifecycle step: the new state, the status it came from, and why. */
public record Transition(AlertState state, AlertStatus previous, Reason reason) {

    /** Why the lifecycle did what it did (Alertmanager passes reasons around the same way). */
    public enum Reason {
        /** Condition false and nothing firing. */
        QUIET,
        /** Condition turned true; waiting for {@code for}. */
        PENDING,
        /** Condition still true, {@code for} not yet elapsed. */
        STILL_PENDING,
        /** Condition turned false before {@code for} elapsed; nothing was notified. */
        PENDING_CANCELLED,
        /** A firing episode started. */
        FIRED,
        /** WARNING became CRITICAL. */
        ESCALATED,
        /** Still firing at the same severity. */
        STILL_FIRING,
        /** Firing, but the widened condition is false; resolve_after is running. */
        CLEARING,
        /** Condition stayed false for resolve_after. */
        RESOLVED,
        /** No evaluation for stale_after: the subject is gone. */
        STALE,
        /** The evaluation is older than one already applied; ignored. */
        OUT_OF_ORDER
    }
}
