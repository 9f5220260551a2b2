package io.harbinger.alerting;

import io.harbinger.alerting.dedup.DedupKey;
import io.harbinger.alerting.dedup.DedupStage;
import io.harbinger.alerting.dedup.NotificationEntry;
import io.harbinger.alerting.inhibit.Inhibitor;
import io.harbinger.alerting.notify.AlertRecords;
import io.harbinger.alerting.rule.Rule;
import io.harbinger.alerting.rule.RuleSet;
import io.harbinger.alerting.rule.Subject;
import io.harbinger.alerting.silence.SilenceMatcher;
import io.harbinger.alerting.state.AlertEntry;
import io.harbinger.alerting.state.AlertLifecycle;
import io.harbinger.alerting.state.AlertStatus;
import io.harbinger.alerting.state.Evaluation;
import io.harbinger.alerting.state.Transition;
import io.harbinger.schema.Alert;
import io.harbinger.schema.Silence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The alerting pipeline, assembled in one place (as Alertmanager's {@code notify.go} assembles its stages), pure:
 * evaluate every rule that matches a subject, step each alert's lifecycle, inhibit (CRITICAL mutes WARNING of the
 * same subject), silence, dedup against what was last sent, and build the records to publish. The caller (the
 * Streams processor, or a test) owns the store and the clock.
 */
public final class AlertPipeline {
    /** What one step produced: store updates (null value = delete), records to publish, and per-alert decisions. */
    public record Outcome(Map<String, AlertEntry> updates, List<Alert> alerts,
                          List<Step> steps) {}

    /** One alert's step, for metrics and logs. */
    public record Step(String dedupKey, Transition.Reason reason, DedupStage.Decision decision) {}

    private final RuleSet rules;
    private final Map<String, AlertLifecycle> lifecycles = new HashMap<>();
    private final Duration resolvedRetention;

    /**
     * @param resolvedRetention how long a RESOLVED alert stays listed (and in the store) before it is purged
     */
    public AlertPipeline(RuleSet rules, Duration resolvedRetention) {
        this.rules = rules;
        this.resolvedRetention = resolvedRetention;
        for (Rule r : rules.rules()) {
            lifecycles.put(r.name(), new AlertLifecycle(r));
        }
    }

    public RuleSet rules() {
        return rules;
    }

    /**
     * Evaluates the latest data of one subject.
     *
     * @param evaluate the rule's evaluation of that data (may throw for a poison record, before anything changes)
     * @param store    current entries by dedup key (null when absent)
     * @param silences every known silence
     */
    public Outcome evaluate(Subject subject, Instant now, Function<Rule, Evaluation> evaluate,
                            Function<String, AlertEntry> store, Iterable<Silence> silences) {
        List<Rule> applicable = rules.forKind(subject.kind()).stream().filter(r -> r.appliesTo(subject)).toList();
        // Evaluate first: a poison record must not leave half the subject's alerts stepped.
        Map<Rule, Evaluation> evaluations = new LinkedHashMap<>();
        for (Rule r : applicable) {
            evaluations.put(r, evaluate.apply(r));
        }
        Map<String, AlertEntry> next = new LinkedHashMap<>();
        Map<String, Transition> transitions = new HashMap<>();
        Map<String, Rule> ruleOf = new HashMap<>();
        for (Map.Entry<Rule, Evaluation> e : evaluations.entrySet()) {
            Rule r = e.getKey();
            String key = DedupKey.of(r, subject);
            AlertEntry entry = store.apply(key);
            if (entry == null) {
                entry = AlertEntry.create(key, r.name(), subject);
            } else if (subject instanceof Subject.GoMap m && m.comm() != null && !m.comm().equals(entry.comm())) {
                entry = entry.withComm(m.comm());
            }
            Transition t = lifecycles.get(r.name()).next(entry.state(), e.getValue(), now);
            transitions.put(key, t);
            ruleOf.put(key, r);
            next.put(key, entry.withState(t.state()));
        }
        Map<String, AlertStatus> subjectStatuses = new HashMap<>();
        next.forEach((k, v) -> subjectStatuses.put(k, v.state().status()));
        return notifyStage(next, transitions, ruleOf, subjectStatuses, now, silences);
    }

    /** The subject's trend was deleted upstream (a tombstone): resolve its firing alerts now. */
    public Outcome gone(Subject subject, Instant now, Function<String, AlertEntry> store, Iterable<Silence> silences) {
        Map<String, AlertEntry> next = new LinkedHashMap<>();
        Map<String, Transition> transitions = new HashMap<>();
        Map<String, Rule> ruleOf = new HashMap<>();
        for (Rule r : rules.forKind(subject.kind())) {
            String key = DedupKey.of(r, subject);
            AlertEntry entry = store.apply(key);
            if (entry == null) {
                continue;
            }
            Transition t = lifecycles.get(r.name()).gone(entry.state(), now);
            if (t.reason() == Transition.Reason.STALE) {
                next.put(key, entry.withState(t.state()));
                transitions.put(key, t);
                ruleOf.put(key, r);
            }
        }
        return notifyStage(next, transitions, ruleOf, Map.of(), now, silences);
    }

    /** The stored entries of one subject (one per rule of its kind that has one). */
    public List<AlertEntry> entriesOf(Subject subject, Function<String, AlertEntry> store) {
        List<AlertEntry> entries = new ArrayList<>();
        for (Rule r : rules.forKind(subject.kind())) {
            AlertEntry entry = store.apply(DedupKey.of(r, subject));
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /**
     * Housekeeping at stream time {@code now}: re-evaluates every subject's latest data (see
     * {@link AlertLifecycle#recheck}), subject by subject so inhibition sees all of a subject's alerts.
     */
    public Outcome recheck(Iterable<AlertEntry> entries, Instant now, Iterable<Silence> silences) {
        Map<Subject, List<AlertEntry>> bySubject = new LinkedHashMap<>();
        for (AlertEntry entry : entries) {
            if (lifecycles.containsKey(entry.rule())) {
                bySubject.computeIfAbsent(entry.subject(), s -> new ArrayList<>()).add(entry);
            }
        }
        Map<String, AlertEntry> updates = new LinkedHashMap<>();
        List<Alert> alerts = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (List<AlertEntry> subjectEntries : bySubject.values()) {
            Map<String, AlertEntry> next = new LinkedHashMap<>();
            Map<String, Transition> transitions = new HashMap<>();
            Map<String, Rule> ruleOf = new HashMap<>();
            Map<String, AlertStatus> subjectStatuses = new HashMap<>();
            for (AlertEntry entry : subjectEntries) {
                AlertLifecycle lifecycle = lifecycles.get(entry.rule());
                Transition t = lifecycle.recheck(entry.state(), now);
                subjectStatuses.put(entry.dedupKey(), t.state().status());
                if (t.reason() != Transition.Reason.QUIET) {
                    next.put(entry.dedupKey(), entry.withState(t.state()));
                    transitions.put(entry.dedupKey(), t);
                    ruleOf.put(entry.dedupKey(), lifecycle.rule());
                }
            }
            if (!next.isEmpty()) {
                Outcome o = notifyStage(next, transitions, ruleOf, subjectStatuses, now, silences);
                updates.putAll(o.updates());
                alerts.addAll(o.alerts());
                steps.addAll(o.steps());
            }
        }
        return new Outcome(updates, alerts, steps);
    }

    /**
     * Housekeeping at stream time {@code now} over all stored entries: resolves alerts whose subject went stale or
     * whose rule was removed, and purges RESOLVED alerts older than the retention.
     */
    public Outcome expire(Iterable<AlertEntry> entries, Instant now, Iterable<Silence> silences) {
        Map<String, AlertEntry> next = new LinkedHashMap<>();
        Map<String, Transition> transitions = new HashMap<>();
        Map<String, Rule> ruleOf = new HashMap<>();
        Map<String, AlertEntry> updates = new LinkedHashMap<>();
        List<Alert> alerts = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (AlertEntry entry : entries) {
            AlertLifecycle lifecycle = lifecycles.get(entry.rule());
            if (lifecycle == null) {
                // The rule is gone from the rules file: close what was opened, then forget it.
                if (entry.notified() != null && entry.notified().status().firing()) {
                    alerts.add(removedRuleResolve(entry, now));
                }
                updates.put(entry.dedupKey(), null);
                steps.add(new Step(entry.dedupKey(), Transition.Reason.STALE, DedupStage.Decision.RESOLVED));
                continue;
            }
            AlertStatus status = entry.state().status();
            if (status == AlertStatus.RESOLVED || status == AlertStatus.INACTIVE) {
                if (now.toEpochMilli() - entry.state().statusSinceMs() >= resolvedRetention.toMillis()) {
                    updates.put(entry.dedupKey(), null);
                }
                continue;
            }
            Transition t = lifecycle.expire(entry.state(), now);
            if (t.reason() == Transition.Reason.STALE) {
                next.put(entry.dedupKey(), entry.withState(t.state()));
                transitions.put(entry.dedupKey(), t);
                ruleOf.put(entry.dedupKey(), lifecycle.rule());
            }
        }
        Outcome stale = notifyStage(next, transitions, ruleOf, Map.of(), now, silences);
        updates.putAll(stale.updates());
        alerts.addAll(stale.alerts());
        steps.addAll(stale.steps());
        return new Outcome(updates, alerts, steps);
    }

    private Outcome notifyStage(Map<String, AlertEntry> next, Map<String, Transition> transitions,
                                Map<String, Rule> ruleOf, Map<String, AlertStatus> subjectStatuses, Instant now,
                                Iterable<Silence> silences) {
        Map<String, AlertEntry> updates = new LinkedHashMap<>();
        List<Alert> alerts = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (Map.Entry<String, AlertEntry> e : next.entrySet()) {
            String key = e.getKey();
            AlertEntry entry = e.getValue();
            Transition t = transitions.get(key);
            Rule rule = ruleOf.get(key);
            if (t.reason() == Transition.Reason.OUT_OF_ORDER) {
                steps.add(new Step(key, t.reason(), DedupStage.Decision.UNCHANGED));
                continue;
            }
            AlertStatus status = entry.state().status();
            String inhibitedBy = Inhibitor.inhibitedBy(key, status, subjectStatuses).orElse(null);
            String silencedBy = null;
            if (status.firing()) {
                silencedBy = SilenceMatcher.find(silences, silenceLabels(rule, entry, status), now)
                        .map(Silence::getId).orElse(null);
            }
            entry = entry.withMuting(silencedBy, inhibitedBy);
            DedupStage.Decision d = DedupStage.needsUpdate(entry.notified(), status,
                    silencedBy != null || inhibitedBy != null, rule.repeatInterval(), now);
            if (d.notifies()) {
                AlertStatus previous = entry.notified() == null || entry.notified().status() == AlertStatus.RESOLVED
                        ? null : entry.notified().status();
                if (d == DedupStage.Decision.REPEAT) {
                    previous = null;
                }
                alerts.add(AlertRecords.build(rule, entry, status, previous, now.toEpochMilli(),
                        d == DedupStage.Decision.REPEAT, t.reason() == Transition.Reason.STALE));
                entry = entry.withNotified(new NotificationEntry(status, now.toEpochMilli()));
            }
            steps.add(new Step(key, t.reason(), d));
            updates.put(key, status == AlertStatus.INACTIVE ? null : entry);
        }
        return new Outcome(updates, alerts, steps);
    }

    /** Labels a silence matches on: the alert's labels plus rule, metric and severity. */
    public static Map<String, String> silenceLabels(Rule rule, AlertEntry entry, AlertStatus status) {
        Map<String, String> l = new HashMap<>(rule.labels());
        l.putAll(entry.subject().labels());
        l.put("rule", rule.name());
        l.put("metric", rule.metric().id());
        l.put("severity", status.label());
        l.put("dedup_key", entry.dedupKey());
        return l;
    }

    private static Alert removedRuleResolve(AlertEntry entry, Instant now) {
        AlertStatus previous = entry.notified().status();
        return Alert.newBuilder()
                .setDedupKey(entry.dedupKey()).setRule(entry.rule()).setMetric("")
                .setSeverity(io.harbinger.schema.AlertSeverity.RESOLVED)
                .setPreviousSeverity(io.harbinger.schema.AlertSeverity.valueOf(previous.name()))
                .setHost(entry.host()).setPid(entry.pid()).setMapAddr(entry.mapAddr()).setComm(entry.comm())
                .setSyscall(entry.syscall()).setFiredAtMs(now.toEpochMilli()).setValue(entry.state().value())
                .setThreshold(0).setSummary(entry.rule() + " RESOLVED: rule removed from the rules file")
                .setLabels(new HashMap<>(entry.subject().labels()))
                .setEpisodeStartedAtMs(entry.state().episodeStartMs())
                .build();
    }
}
