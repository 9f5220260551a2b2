package io.harbinger.alerting.state;

import io.harbinger.alerting.rule.Metric;
import io.harbinger.alerting.rule.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.harbinger.alerting.state.AlertStatus.CRITICAL;
import static io.harbinger.alerting.state.AlertStatus.INACTIVE;
import static io.harbinger.alerting.state.AlertStatus.PENDING;
import static io.harbinger.alerting.state.AlertStatus.RESOLVED;
import static io.harbinger.alerting.state.AlertStatus.WARNING;
import static io.harbinger.alerting.state.Transition.Reason.CLEARING;
import static io.harbinger.alerting.state.Transition.Reason.ESCALATED;
import static io.harbinger.alerting.state.Transition.Reason.FIRED;
import static io.harbinger.alerting.state.Transition.Reason.OUT_OF_ORDER;
import static io.harbinger.alerting.state.Transition.Reason.PENDING_CANCELLED;
import static io.harbinger.alerting.state.Transition.Reason.QUIET;
import static io.harbinger.alerting.state.Transition.Reason.STILL_FIRING;
import static io.harbinger.alerting.state.Transition.Reason.STILL_PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Table-driven steps of the lifecycle with a fixed clock (Alertmanager's TestDedupStageNeedsUpdate style).
 * Rule: threshold 1000, warn_within 30m, critical_within 5m, resolve_after 10m, hysteresis 0.25 unless a case says.
 */
class AlertLifecycleTest {
    static final long T0 = 1_767_225_600_000L;
    static final Rule BASE = Rule.of("r", Metric.GOMAP_COUNT, 1000, Duration.ofMinutes(30), Duration.ofMinutes(5));

    /** At minute {@code at}: level, forecast ETA in minutes from now (null: none) → expected status and reason. */
    record Step(double at, double level, Double etaInMin, AlertStatus status, Transition.Reason reason) {}

    static Step s(double at, double level, Double eta, AlertStatus status, Transition.Reason reason) {
        return new Step(at, level, eta, status, reason);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("quiet: no forecast", BASE, List.of(
                        s(0, 100, null, INACTIVE, QUIET))),
                Arguments.of("quiet: crossing beyond warn_within", BASE, List.of(
                        s(0, 100, 31.0, INACTIVE, QUIET))),
                Arguments.of("warn at warn_within, escalate at critical_within", BASE, List.of(
                        s(0, 500, 30.0, WARNING, FIRED),
                        s(10, 700, 20.0, WARNING, STILL_FIRING),
                        s(25, 950, 5.0, CRITICAL, ESCALATED),
                        s(26, 990, 4.0, CRITICAL, STILL_FIRING))),
                Arguments.of("critical at once when over the threshold", BASE, List.of(
                        s(0, 1000, null, CRITICAL, FIRED))),
                Arguments.of("critical is sticky when the forecast recedes into the warning band", BASE, List.of(
                        s(0, 900, 3.0, CRITICAL, FIRED),
                        s(1, 900, 20.0, CRITICAL, STILL_FIRING))),
                Arguments.of("resolve only after resolve_after of clear condition", BASE, List.of(
                        s(0, 500, 20.0, WARNING, FIRED),
                        s(1, 500, null, WARNING, CLEARING),
                        s(5, 500, null, WARNING, CLEARING),
                        s(11, 500, null, RESOLVED, Transition.Reason.RESOLVED),
                        s(12, 500, null, RESOLVED, QUIET))),
                Arguments.of("a forecast back inside the band restarts resolve_after", BASE, List.of(
                        s(0, 500, 20.0, WARNING, FIRED),
                        s(1, 500, null, WARNING, CLEARING),
                        s(9, 500, 25.0, WARNING, STILL_FIRING),
                        s(10, 500, null, WARNING, CLEARING),
                        s(19, 500, null, WARNING, CLEARING),
                        s(20, 500, null, RESOLVED, Transition.Reason.RESOLVED))),
                Arguments.of("hysteresis: 37m is inside 30m * 1.25 while firing, 32m is not before", BASE, List.of(
                        s(0, 500, 32.0, INACTIVE, QUIET),
                        s(1, 500, 29.0, WARNING, FIRED),
                        s(2, 500, 37.0, WARNING, STILL_FIRING),
                        s(3, 500, 38.0, WARNING, CLEARING))),
                Arguments.of("the threshold is not widened: just under it without a forecast is clearing", BASE,
                        List.of(
                        s(0, 950, 20.0, WARNING, FIRED),
                        s(1, 999, null, WARNING, CLEARING),
                        s(2, 1000, null, CRITICAL, ESCALATED))),
                Arguments.of("re-fire after resolve starts a new episode", BASE.withResolveAfter(Duration.ZERO),
                        List.of(
                        s(0, 500, 20.0, WARNING, FIRED),
                        s(1, 500, null, RESOLVED, Transition.Reason.RESOLVED),
                        s(2, 500, 20.0, WARNING, FIRED))),
                Arguments.of("for: pending until sustained", BASE.withPendingFor(Duration.ofMinutes(3)), List.of(
                        s(0, 500, 20.0, PENDING, Transition.Reason.PENDING),
                        s(2, 500, 20.0, PENDING, STILL_PENDING),
                        s(3, 500, 4.0, CRITICAL, FIRED))),
                Arguments.of("for: a blip is cancelled", BASE.withPendingFor(Duration.ofMinutes(3)), List.of(
                        s(0, 500, 20.0, PENDING, Transition.Reason.PENDING),
                        s(1, 500, null, INACTIVE, PENDING_CANCELLED))),
                Arguments.of("out-of-order evaluations are ignored", BASE, List.of(
                        s(5, 500, 20.0, WARNING, FIRED),
                        s(4, 500, 2.0, WARNING, OUT_OF_ORDER))),
                Arguments.of("an ETA already past while below the threshold is imminent", BASE, List.of(
                        s(0, 990, -1.0, CRITICAL, FIRED))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void steps(String name, Rule rule, List<Step> steps) {
        AlertLifecycle lc = new AlertLifecycle(rule);
        AlertState state = null;
        List<String> want = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (Step st : steps) {
            long now = T0 + (long) (st.at() * 60_000);
            Long eta = st.etaInMin() == null ? null : now + (long) (st.etaInMin() * 60_000);
            Transition t = lc.next(state, new Evaluation(st.level(), eta), Instant.ofEpochMilli(now));
            state = t.state();
            want.add(st.at() + "m " + st.status() + " " + st.reason());
            got.add(st.at() + "m " + t.state().status() + " " + t.reason());
        }
        assertEquals(want, got);
    }

    @org.junit.jupiter.api.Test
    void episodeStartIsKeptAcrossEscalationAndStaleResolves() {
        AlertLifecycle lc = new AlertLifecycle(BASE);
        Transition w = lc.next(null, Evaluation.of(500, T0 + 20 * 60_000L), Instant.ofEpochMilli(T0));
        Transition c = lc.next(w.state(), Evaluation.of(990, T0 + 6 * 60_000L), Instant.ofEpochMilli(T0 + 60_000));
        assertEquals(CRITICAL, c.state().status());
        assertEquals(T0, c.state().episodeStartMs());
        assertEquals(T0 + 60_000, c.state().statusSinceMs());
        Transition fresh = lc.expire(c.state(), Instant.ofEpochMilli(T0 + 10 * 60_000));
        assertEquals(QUIET, fresh.reason());
        Transition stale = lc.expire(c.state(), Instant.ofEpochMilli(T0 + 31 * 60_000));
        assertEquals(RESOLVED, stale.state().status());
        assertEquals(Transition.Reason.STALE, stale.reason());
        assertEquals(T0, stale.state().episodeStartMs());
    }

    @Test
    void recheckCountsTheForecastDownWithoutNewData() {
        AlertLifecycle lc = new AlertLifecycle(BASE);
        // the only data: crossing forecast 32 min ahead, nothing yet
        Transition quiet = lc.next(null, Evaluation.of(500, T0 + 32 * 60_000L), Instant.ofEpochMilli(T0));
        assertEquals(INACTIVE, quiet.state().status());
        // 1 minute later without new data: 31 min ahead, still nothing; 3 minutes: 29 min ahead, WARNING
        assertEquals(INACTIVE, lc.recheck(quiet.state(), Instant.ofEpochMilli(T0 + 60_000)).state().status());
        Transition warn = lc.recheck(quiet.state(), Instant.ofEpochMilli(T0 + 3 * 60_000));
        assertEquals(WARNING, warn.state().status());
        assertEquals(T0 + 3 * 60_000, warn.state().episodeStartMs());
        assertEquals(T0, warn.state().lastEvalMs(), "staleness still counts from the data");
        // within critical_within of the forecast: CRITICAL
        assertEquals(CRITICAL, lc.recheck(warn.state(), Instant.ofEpochMilli(T0 + 28 * 60_000)).state().status());
        // data older than stale_after is not re-checked (expire resolves it instead)
        assertEquals(QUIET, lc.recheck(warn.state(), Instant.ofEpochMilli(T0 + 30 * 60_000)).reason());
    }

    @Test
    void aGoneSubjectIsNotRechecked() {
        AlertLifecycle lc = new AlertLifecycle(BASE);
        Transition w = lc.next(null, Evaluation.of(500, T0 + 20 * 60_000L), Instant.ofEpochMilli(T0));
        Transition gone = lc.gone(w.state(), Instant.ofEpochMilli(T0 + 60_000));
        assertEquals(RESOLVED, gone.state().status());
        assertEquals(QUIET, lc.recheck(gone.state(), Instant.ofEpochMilli(T0 + 2 * 60_000)).reason());
    }
}
