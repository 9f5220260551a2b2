package io.harbinger.streams.forecast;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The alert rule semantics the forecast is scored with, per subject (docs/forecast.md, "Alert rule semantics";
 * the alerting service implements the same). Evaluated on every trend record, in event time:
 * <ul>
 *   <li>CRITICAL when the value is at or over the threshold, or the ETA is within {@code criticalWithin};</li>
 *   <li>WARNING when the ETA is within {@code warnWithin};</li>
 *   <li>an open WARNING escalates to CRITICAL; CRITICAL never steps back to WARNING;</li>
 *   <li>RESOLVED once, for {@code resolveAfter} of event time without interruption, every evaluation had
 *       the value under the threshold and no ETA or one further than {@code resolveFactor × warnWithin}.</li>
 * </ul>
 */
final class EarlyWarningRule {

    enum Severity { WARNING, CRITICAL, RESOLVED }

    record Params(double threshold, long warnWithinMs, long criticalWithinMs, double resolveFactor, long resolveAfterMs) {
        static Params defaults(double threshold) {
            return new Params(threshold, 30 * 60_000L, 5 * 60_000L, 1.25, 10 * 60_000L);
        }
    }

    record Transition(Severity severity, long atMs, double value, Long etaMs) {
    }

    private final Params params;
    private Severity active;      // WARNING, CRITICAL or null
    private long clearSinceMs = Long.MIN_VALUE;

    EarlyWarningRule(Params params) {
        this.params = params;
    }

    Optional<Transition> evaluate(long nowMs, double value, OptionalLong etaMs) {
        Long eta = etaMs.isPresent() ? etaMs.getAsLong() : null;
        long lead = eta == null ? Long.MAX_VALUE : eta - nowMs;
        boolean critical = value >= params.threshold() || lead <= params.criticalWithinMs();
        boolean warning = lead <= params.warnWithinMs();
        if (active == null) {
            if (critical || warning) {
                active = critical ? Severity.CRITICAL : Severity.WARNING;
                clearSinceMs = Long.MIN_VALUE;
                return Optional.of(new Transition(active, nowMs, value, eta));
            }
            return Optional.empty();
        }
        if (active == Severity.WARNING && critical) {
            active = Severity.CRITICAL;
            clearSinceMs = Long.MIN_VALUE;
            return Optional.of(new Transition(active, nowMs, value, eta));
        }
        boolean clear = !critical && lead > params.resolveFactor() * params.warnWithinMs();
        if (!clear) {
            clearSinceMs = Long.MIN_VALUE;
            return Optional.empty();
        }
        if (clearSinceMs == Long.MIN_VALUE) {
            clearSinceMs = nowMs;
        }
        if (nowMs - clearSinceMs >= params.resolveAfterMs()) {
            active = null;
            clearSinceMs = Long.MIN_VALUE;
            return Optional.of(new Transition(Severity.RESOLVED, nowMs, value, eta));
        }
        return Optional.empty();
    }
}
