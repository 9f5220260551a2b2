package io.harbinger.alerting.rule;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One alert rule, validated (see {@link RuleFile}). Semantics, per subject the rule matches:
 * WARNING when the forecast crosses {@code threshold} within {@code warnWithin}; CRITICAL when it crosses within
 * {@code criticalWithin} or the value is at or over the threshold; either only after the condition held for
 * {@code pendingFor}. Once firing, the horizons widen by {@code hysteresis} and the condition must stay false for
 * {@code resolveAfter} before RESOLVED.
 *
 * @param name           unique rule name, part of the dedup key
 * @param metric         what is watched
 * @param threshold      the value not to cross
 * @param warnWithin     WARNING horizon of the forecast (> 0)
 * @param criticalWithin CRITICAL horizon of the forecast (0 = only when over the threshold), at most warnWithin
 * @param pendingFor     {@code for}: how long the condition must hold before the alert fires (0 = at once)
 * @param matchers       all must match the subject's labels (host, comm, syscall)
 * @param routes         severity routing: "warning"/"critical" to a route name sinks select on (absent = none)
 * @param repeatInterval re-notify an unchanged firing alert after this long (0 = never)
 * @param resolveAfter   how long the condition must stay false before RESOLVED (hysteresis in time)
 * @param hysteresis     fraction by which warnWithin (and criticalWithin) widen while firing
 * @param staleAfter     resolve a firing alert whose subject has sent no data for this long (stream time)
 * @param labels         extra labels copied onto every alert of this rule
 * @param line           line of the rule in its file (0 when built in code)
 */
public record Rule(String name, Metric metric, double threshold, Duration warnWithin, Duration criticalWithin,
                   Duration pendingFor, List<LabelMatcher> matchers, Map<String, String> routes,
                   Duration repeatInterval, Duration resolveAfter, double hysteresis, Duration staleAfter,
                   Map<String, String> labels, int line) {

    public static final Duration DEFAULT_CRITICAL_WITHIN = Duration.ZERO;
    public static final Duration DEFAULT_FOR = Duration.ZERO;
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);
    public static final Duration DEFAULT_RESOLVE_AFTER = Duration.ofMinutes(10);
    public static final double DEFAULT_HYSTERESIS = 0.25;
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(30);

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metric, "metric");
        matchers = List.copyOf(matchers);
        routes = Map.copyOf(routes);
        labels = Map.copyOf(labels);
    }

    /** A rule with every optional knob at its default. */
    public static Rule of(String name, Metric metric, double threshold, Duration warnWithin, Duration criticalWithin) {
        return new Rule(name, metric, threshold, warnWithin, criticalWithin, DEFAULT_FOR, List.of(), Map.of(),
                DEFAULT_REPEAT_INTERVAL, DEFAULT_RESOLVE_AFTER, DEFAULT_HYSTERESIS, DEFAULT_STALE_AFTER, Map.of(), 0);
    }

    public boolean appliesTo(Subject subject) {
        if (subject.kind() != metric.subjectKind()) {
            return false;
        }
        if (matchers.isEmpty()) {
            return true;
        }
        Map<String, String> l = subject.labels();
        for (LabelMatcher m : matchers) {
            if (!m.matches(l)) {
                return false;
            }
        }
        return true;
    }

    /** The route for a firing severity ("warning" or "critical"), or null. */
    public String routeFor(String severity) {
        return routes.get(severity);
    }

    public Rule withPendingFor(Duration d) {
        return new Rule(name, metric, threshold, warnWithin, criticalWithin, d, matchers, routes, repeatInterval,
                resolveAfter, hysteresis, staleAfter, labels, line);
    }

    public Rule withRepeatInterval(Duration d) {
        return new Rule(name, metric, threshold, warnWithin, criticalWithin, pendingFor, matchers, routes, d,
                resolveAfter, hysteresis, staleAfter, labels, line);
    }

    public Rule withResolveAfter(Duration d) {
        return new Rule(name, metric, threshold, warnWithin, criticalWithin, pendingFor, matchers, routes,
                repeatInterval, d, hysteresis, staleAfter, labels, line);
    }

    public Rule withHysteresis(double h) {
        return new Rule(name, metric, threshold, warnWithin, criticalWithin, pendingFor, matchers, routes,
                repeatInterval, resolveAfter, h, staleAfter, labels, line);
    }

    public Rule withMatchers(List<LabelMatcher> m) {
        return new Rule(name, metric, threshold, warnWithin, criticalWithin, pendingFor, m, routes,
                repeatInterval, resolveAfter, hysteresis, staleAfter, labels, line);
    }
}
