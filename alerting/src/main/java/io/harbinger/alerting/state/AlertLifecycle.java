package io.harbinger.alerting.state;

import io.harbinger.alerting.rule.Rule;

import java.time.Instant;

/**
 * The pure state machine of one rule's alerts: {@code next(state, evaluation, now)} gives the new state and a reason.
 * No I/O and no clock: time comes in as {@code now} (the evaluation's event time).
 *
 * <p>Levels: CRITICAL when the value is at or over the threshold, or the forecast crosses within critical_within;
 * WARNING when it crosses within warn_within; else none. Escalation is sticky: a CRITICAL episode stays CRITICAL
 * until it resolves, so a wobbling forecast cannot make it flap between severities. While firing, the horizon is
 * widened by the rule's hysteresis (warn_within * (1 + h)); the condition must then stay false for resolve_after
 * before the alert resolves. These are the semantics the forecaster scores against (EarlyWarningRule in
 * streams-processor: resolveFactor = 1 + h = 1.25, resolveAfter = 10m).
 */
public final class AlertLifecycle {
    /** What an evaluation says, before any state is taken into account. */
    public enum Level { NONE, WARNING, CRITICAL }

    private final Rule rule;

    public AlertLifecycle(Rule rule) {
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }

    public Transition next(AlertState state, Evaluation eval, Instant now) {
        AlertState s = state == null ? AlertState.INITIAL : state;
        long t = now.toEpochMilli();
        AlertStatus from = s.status();
        if (s.lastEvalMs() != null && t < s.lastEvalMs()) {
            return new Transition(s, from, Transition.Reason.OUT_OF_ORDER);
        }
        AlertState e = s.evaluated(t, eval);
        Level level = level(eval, t, 0.0);
        switch (from) {
            case INACTIVE, RESOLVED -> {
                if (level == Level.NONE) {
                    return new Transition(e, from, Transition.Reason.QUIET);
                }
                AlertState pending = e.withPendingSince(t).withClearingSince(null);
                if (rule.pendingFor().isZero()) {
                    return fire(pending, level, t, from);
                }
                return new Transition(pending.to(AlertStatus.PENDING, t), from, Transition.Reason.PENDING);
            }
            case PENDING -> {
                if (level == Level.NONE) {
                    return new Transition(e.withPendingSince(null).to(AlertStatus.INACTIVE, t), from,
                            Transition.Reason.PENDING_CANCELLED);
                }
                if (t - e.pendingSinceMs() >= rule.pendingFor().toMillis()) {
                    return fire(e, level, t, from);
                }
                return new Transition(e, from, Transition.Reason.STILL_PENDING);
            }
            case WARNING, CRITICAL -> {
                if (level == Level.CRITICAL && from == AlertStatus.WARNING) {
                    return new Transition(e.withClearingSince(null).to(AlertStatus.CRITICAL, t), from,
                            Transition.Reason.ESCALATED);
                }
                if (level(eval, t, rule.hysteresis()) != Level.NONE) {
                    return new Transition(e.withClearingSince(null), from, Transition.Reason.STILL_FIRING);
                }
                long clearingSince = e.clearingSinceMs() == null ? t : e.clearingSinceMs();
                AlertState clearing = e.withClearingSince(clearingSince);
                if (t - clearingSince >= rule.resolveAfter().toMillis()) {
                    return resolve(clearing, t, from, Transition.Reason.RESOLVED);
                }
                return new Transition(clearing, from, Transition.Reason.CLEARING);
            }
            default -> throw new IllegalStateException("unknown status " + from);
        }
    }

    /**
     * Re-evaluates the latest data at a later stream time {@code now}: an ETA is absolute, so a forecast counts down
     * even while a map sends nothing (sampling gaps, a quiet collector). The same step as {@link #next}, except that
     * the evaluation time stays that of the data, so staleness is still measured from it; nothing happens for data
     * older than stale_after (then {@link #expire} applies) or with no evaluation yet.
     */
    public Transition recheck(AlertState state, Instant now) {
        long t = now.toEpochMilli();
        // t <= statusSince: this time was handled already (a re-check repeated after a restart)
        if (state.lastEvalMs() == null || t <= state.lastEvalMs() || t <= state.statusSinceMs()
                || t - state.lastEvalMs() >= rule.staleAfter().toMillis()) {
            return new Transition(state, state.status(), Transition.Reason.QUIET);
        }
        Transition step = next(state, new Evaluation(state.value(), state.etaMs()), now);
        return new Transition(step.state().withLastEvalMs(state.lastEvalMs()), step.previous(), step.reason());
    }

    /**
     * Resolves a firing alert whose subject has sent nothing for stale_after, and drops a stale PENDING one.
     * Returns the state unchanged (reason QUIET) when it is not stale.
     */
    public Transition expire(AlertState state, Instant now) {
        boolean stale = state.lastEvalMs() != null
                && now.toEpochMilli() - state.lastEvalMs() >= rule.staleAfter().toMillis();
        if (!stale) {
            return new Transition(state, state.status(), Transition.Reason.QUIET);
        }
        return gone(state, now);
    }

    /**
     * The subject is gone (its trend was deleted upstream): a firing alert resolves (reason STALE) at once,
     * a pending one is dropped.
     */
    public Transition gone(AlertState state, Instant now) {
        long t = now.toEpochMilli();
        AlertStatus from = state.status();
        if (from.firing()) {
            // no live data any more: nothing to re-check until the subject sends again
            Transition r = resolve(state, t, from, Transition.Reason.STALE);
            return new Transition(r.state().withLastEvalMs(null), r.previous(), r.reason());
        }
        if (from == AlertStatus.PENDING) {
            return new Transition(state.withPendingSince(null).to(AlertStatus.INACTIVE, t), from,
                    Transition.Reason.STALE);
        }
        return new Transition(state, from, Transition.Reason.QUIET);
    }

    /**
     * The level an evaluation asks for; {@code widen} > 0 applies hysteresis to the horizons (a firing alert stays
     * firing while the forecast crosses within warn_within * (1 + widen)). The threshold itself is not widened:
     * a value at or over it is always CRITICAL, one under it never is.
     */
    public Level level(Evaluation eval, long now, double widen) {
        if (eval.value() >= rule.threshold()) {
            return Level.CRITICAL;
        }
        if (eval.etaMs() == null) {
            return Level.NONE;
        }
        long lead = Math.max(0, eval.etaMs() - now);
        if (lead <= rule.criticalWithin().toMillis() * (1.0 + widen)) {
            return Level.CRITICAL;
        }
        if (lead <= rule.warnWithin().toMillis() * (1.0 + widen)) {
            return Level.WARNING;
        }
        return Level.NONE;
    }

    private static Transition fire(AlertState s, Level level, long t, AlertStatus from) {
        AlertStatus to = level == Level.CRITICAL ? AlertStatus.CRITICAL : AlertStatus.WARNING;
        return new Transition(s.withEpisodeStart(t).withClearingSince(null).to(to, t), from, Transition.Reason.FIRED);
    }

    private static Transition resolve(AlertState s, long t, AlertStatus from, Transition.Reason why) {
        return new Transition(s.withPendingSince(null).to(AlertStatus.RESOLVED, t), from, why);
    }
}
