package io.harbinger.alerting.state;

/**
 * The lifecycle state of one (rule, subject) alert. Immutable; times are event-time epoch milliseconds.
 *
 * @param status          where the alert is
 * @param statusSinceMs   when it entered {@code status}
 * @param pendingSinceMs  when the condition became true for the current PENDING or firing episode; null otherwise
 * @param episodeStartMs  when the current (or last) firing episode started, i.e. first WARNING/CRITICAL; null if none
 * @param clearingSinceMs while firing: when the (widened) condition last turned false; null while it holds
 * @param lastEvalMs      event time of the latest evaluation applied; null before the first
 * @param value           the metric value at the latest evaluation
 * @param etaMs           the forecast crossing time at the latest evaluation; null when not forecast
 */
public record AlertState(AlertStatus status, long statusSinceMs, Long pendingSinceMs, Long episodeStartMs,
                         Long clearingSinceMs, Long lastEvalMs, double value, Long etaMs) {

    public static final AlertState INITIAL = new AlertState(AlertStatus.INACTIVE, 0, null, null, null, null, 0, null);

    AlertState evaluated(long now, Evaluation e) {
        return new AlertState(status, statusSinceMs, pendingSinceMs, episodeStartMs, clearingSinceMs, now, e.value(),
                e.etaMs());
    }

    AlertState to(AlertStatus next, long now) {
        return new AlertState(next, now, pendingSinceMs, episodeStartMs, clearingSinceMs, lastEvalMs, value, etaMs);
    }

    AlertState withPendingSince(Long t) {
        return new AlertState(status, statusSinceMs, t, episodeStartMs, clearingSinceMs, lastEvalMs, value, etaMs);
    }

    AlertState withEpisodeStart(Long t) {
        return new AlertState(status, statusSinceMs, pendingSinceMs, t, clearingSinceMs, lastEvalMs, value, etaMs);
    }

    AlertState withLastEvalMs(Long t) {
        return new AlertState(status, statusSinceMs, pendingSinceMs, episodeStartMs, clearingSinceMs, t, value, etaMs);
    }

    AlertState withClearingSince(Long t) {
        return new AlertState(status, statusSinceMs, pendingSinceMs, episodeStartMs, t, lastEvalMs, value, etaMs);
    }
}
