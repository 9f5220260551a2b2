package io.harbinger.alerting.notify;

import io.harbinger.alerting.rule.Rule;
import io.harbinger.alerting.rule.Subject;
import io.harbinger.alerting.rule.Durations;
import io.harbinger.alerting.state.AlertEntry;
import io.harbinger.alerting.state.AlertState;
import io.harbinger.alerting.state.AlertStatus;
import io.harbinger.schema.Alert;
import io.harbinger.schema.AlertSeverity;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds the {@link Alert} records of {@code harbinger.alerts} from an alert's state. Pure. */
public final class AlertRecords {
    private AlertRecords() {}

    /**
     * @param severity the status being notified (WARNING, CRITICAL or RESOLVED)
     * @param previous the status notified before (null for a first firing)
     * @param nowMs    event time of the evaluation that sends it
     * @param repeat   a re-notification of an unchanged status
     * @param stale    resolved because the subject sent no data for stale_after
     */
    public static Alert build(Rule rule, AlertEntry entry, AlertStatus severity, AlertStatus previous, long nowMs,
                              boolean repeat, boolean stale) {
        AlertState s = entry.state();
        Subject subject = entry.subject();
        Map<String, String> labels = new LinkedHashMap<>(rule.labels());
        labels.putAll(subject.labels());
        String routeSeverity = severity == AlertStatus.RESOLVED && previous != null ? previous.label() : severity.label();
        return Alert.newBuilder()
                .setDedupKey(entry.dedupKey())
                .setRule(rule.name())
                .setMetric(rule.metric().id())
                .setSeverity(AlertSeverity.valueOf(severity.name()))
                .setPreviousSeverity(previous == null ? null : AlertSeverity.valueOf(previous.name()))
                .setHost(entry.host())
                .setPid(entry.pid())
                .setMapAddr(entry.mapAddr())
                .setComm(entry.comm())
                .setSyscall(entry.syscall())
                .setFiredAtMs(s.statusSinceMs())
                .setValue(s.value())
                .setThreshold(rule.threshold())
                .setPredictedBreachAtMs(severity == AlertStatus.RESOLVED ? null : s.etaMs())
                .setSummary(summary(rule, subject, severity, s, nowMs, stale))
                .setRoute(rule.routeFor(routeSeverity))
                .setRepeat(repeat)
                .setLabels(labels)
                .setEpisodeStartedAtMs(s.episodeStartMs())
                .build();
    }

    /** One line a person can act on, e.g. "gomap-growth WARNING: Go map 0xc000… forecast to reach 1000000 in 23m". */
    static String summary(Rule rule, Subject subject, AlertStatus severity, AlertState s, long nowMs, boolean stale) {
        String what;
        if (subject instanceof Subject.GoMap m) {
            what = "Go map 0x" + Long.toHexString(m.mapAddr()) + " of "
                    + (m.comm() == null ? "pid " + m.pid() : m.comm() + " (pid " + m.pid() + ")") + " on " + m.host();
        } else {
            Subject.Latency l = (Subject.Latency) subject;
            what = l.syscall() + " of " + l.comm() + " on " + l.host();
        }
        String head = rule.name() + " " + severity.name() + ": " + rule.metric().id() + " of " + what;
        String thr = number(rule.threshold());
        if (severity == AlertStatus.RESOLVED) {
            return head + (stale ? " went silent (no data for " + Durations.format(rule.staleAfter()) + ")"
                    : " no longer forecast to reach " + thr + " within " + Durations.format(rule.warnWithin()))
                    + "; last " + number(s.value());
        }
        if (s.etaMs() != null && s.etaMs() > nowMs) {
            long mins = Math.max(1, Math.round((s.etaMs() - nowMs) / 60_000.0));
            return head + " is " + number(s.value()) + ", forecast to reach " + thr + " in "
                    + Durations.format(Duration.ofMinutes(mins));
        }
        return head + " is " + number(s.value()) + ", at or over " + thr;
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
