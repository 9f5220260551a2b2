package io.harbinger.alerting.rule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One YAML fixture per config case (src/test/resources/rules), as Alertmanager's config/testdata. */
class RuleFileTest {

    static Path fixture(String name) {
        try {
            return Path.of(RuleFileTest.class.getResource("/rules/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void defaultRulesAreExactlyTheContractRule() {
        RuleSet defaults = RuleFile.defaults();
        RuleSet contract = RuleFile.load(fixture("contract.yaml"));
        assertEquals(1, defaults.rules().size());
        Rule r = defaults.rules().get(0);
        assertEquals(Rule.of("gomap-growth", Metric.GOMAP_COUNT, 1_000_000, Duration.ofMinutes(30),
                Duration.ofMinutes(5)), withLine(r, 0));
        assertEquals(contract.rules(), defaults.rules());
    }

    @Test
    void everyKnob() {
        RuleSet rs = RuleFile.load(fixture("full.yaml"));
        assertEquals(List.of("gomap-growth", "read-latency", "write-errors", "collisions"),
                rs.rules().stream().map(Rule::name).toList());
        Rule g = rs.byName("gomap-growth").orElseThrow();
        assertEquals(Metric.GOMAP_COUNT, g.metric());
        assertEquals(1_000_000, g.threshold());
        assertEquals(Duration.ofMinutes(30), g.warnWithin());
        assertEquals(Duration.ofMinutes(5), g.criticalWithin());
        assertEquals(Duration.ofMinutes(2), g.pendingFor());
        assertEquals(List.of(LabelMatcher.parse("host=~\"web-.*\""), LabelMatcher.parse("comm!=\"batch\"")),
                g.matchers());
        assertEquals(Map.of("warning", "slack-infra", "critical", "pagerduty"), g.routes());
        assertEquals(Duration.ofHours(2), g.repeatInterval());
        assertEquals(Duration.ofMinutes(15), g.resolveAfter());
        assertEquals(0.05, g.hysteresis());
        assertEquals(Duration.ofMinutes(20), g.staleAfter());
        assertEquals(Map.of("team", "infra", "tier", "1"), g.labels());
        assertEquals(3, g.line());

        Rule latency = rs.byName("read-latency").orElseThrow();
        assertEquals(5e6, latency.threshold());
        assertEquals(Duration.ofMinutes(90), latency.warnWithin());
        assertEquals(Duration.ZERO, latency.criticalWithin());
        assertEquals(Map.of("warning", "pagerduty", "critical", "pagerduty"), latency.routes());
        assertEquals(Rule.DEFAULT_REPEAT_INTERVAL, latency.repeatInterval());
        assertEquals(Rule.DEFAULT_RESOLVE_AFTER, latency.resolveAfter());
        assertEquals(Duration.ZERO, rs.byName("write-errors").orElseThrow().repeatInterval());

        assertTrue(g.appliesTo(new Subject.GoMap("web-3", 1, 2, "api")));
        assertTrue(!g.appliesTo(new Subject.GoMap("web-3", 1, 2, "batch")));
        assertTrue(!g.appliesTo(new Subject.GoMap("db-1", 1, 2, "api")));
        assertTrue(!g.appliesTo(new Subject.Latency("web-3", "api", "read")));
        assertTrue(latency.appliesTo(new Subject.Latency("db-1", "postgres", "read")));
        assertTrue(!latency.appliesTo(new Subject.Latency("db-1", "postgres", "write")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown-metric.yaml        | 3 | rule 'a': unknown metric 'gomap.size' (one of gomap.count, gomap.load_factor, gomap.overflow_ratio, syscall.p99_ns, syscall.error_rate)",
            "missing-threshold.yaml     | 2 | rule is missing 'threshold' (rule 'a')",
            "bad-duration.yaml          | 5 | rule 'a': warn_within: '30 minutes' is not a duration (e.g. 90s, 30m, 1h30m, 500ms)",
            "critical-exceeds-warn.yaml | 6 | rule 'a': critical_within (10m) exceeds warn_within (5m)",
            "duplicate-name.yaml        | 6 | duplicate rule name 'a' (first defined at line 2)",
            "unknown-key.yaml           | 5 | unknown key 'warn_witin' in a rule (known: name, metric, threshold, warn_within, critical_within, for, matchers, route, repeat_interval, resolve_after, hysteresis, stale_after, labels)",
            "bad-matcher.yaml           | 6 | rule 'a': matcher 'host = web-1' is not of the form label=\"value\" (operators =, !=, =~, !~)",
            "syscall-matcher-on-map.yaml| 8 | rule 'a': matcher on 'syscall' cannot match gomap.count (a Go map has no syscall)",
            "bad-regex.yaml             | 6 | rule 'a': matcher on 'comm' has an invalid regex 'post(gres': Unclosed group",
            "unknown-matcher-label.yaml | 6 | rule 'a': matcher label 'pod' is not one of host, comm, syscall",
            "error-rate-over-one.yaml   | 4 | rule 'a': threshold of syscall.error_rate is a fraction of calls, at most 1, got 5.0",
            "negative-threshold.yaml    | 4 | rule 'a': threshold must be a finite number > 0, got -1.0",
            "threshold-not-number.yaml  | 4 | rule 'a': threshold must be a number, got 'lots'",
            "empty.yaml                 | 1 | empty rules file: expected 'rules:' with at least one rule",
            "empty-rules.yaml           | 1 | 'rules' is empty: define at least one rule",
            "rules-not-a-list.yaml      | 2 | 'rules' must be a list of rules",
            "invalid-yaml.yaml          | 4 | invalid YAML: expected ',' or ']', but got :",
            "reserved-label.yaml        | 8 | rule 'a': label 'host' is set by Harbinger and cannot be overridden",
            "bad-hysteresis.yaml        | 6 | rule 'a': hysteresis is a fraction in [0, 1), got 1.5",
            "duplicate-key.yaml         | 5 | duplicate key 'threshold' in a rule",
            "bad-name.yaml              | 2 | rule name 'my rule!' must be 1-64 characters of letters, digits, '_', '.', '-', starting with a letter or digit",
            "bad-route.yaml             | 6 | unknown key 'info' rule 'a': in 'route' (known: critical, warning)",
            "unknown-top-key.yaml       | 1 | unknown key 'rule' at the top level (known: rules)",
            "zero-warn-within.yaml      | 5 | rule 'a': warn_within must be > 0",
    })
    void invalidRulesNameFileLineAndReason(String file, int line, String reason) {
        Path path = fixture(file);
        InvalidRuleException e = assertThrows(InvalidRuleException.class, () -> RuleFile.load(path));
        assertEquals(path + ":" + line + ": " + reason, e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void missingFile() {
        InvalidRuleException e = assertThrows(InvalidRuleException.class,
                () -> RuleFile.load(Path.of("/nonexistent/rules.yaml")));
        assertEquals("/nonexistent/rules.yaml:0: no such file", e.getMessage());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofDays(15), Durations.parse("2w1d"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("m"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("1m1h"));
    }

    @Test
    void matchers() {
        Map<String, String> l = Map.of("host", "web-1", "comm", "postgres");
        assertTrue(LabelMatcher.parse("host=\"web-1\"").matches(l));
        assertTrue(LabelMatcher.parse("host!=\"web-2\"").matches(l));
        assertTrue(LabelMatcher.parse("comm=~\"post.*\"").matches(l));
        assertTrue(!LabelMatcher.parse("comm=~\"post\"").matches(l), "anchored");
        assertTrue(LabelMatcher.parse("comm!~\"mysql|maria\"").matches(l));
        assertTrue(LabelMatcher.parse("syscall=\"\"").matches(l), "absent label is empty");
        assertEquals("comm=~\"a\\\"b\"", LabelMatcher.parse("comm=~\"a\\\"b\"").toString());
    }

    private static Rule withLine(Rule r, int line) {
        return new Rule(r.name(), r.metric(), r.threshold(), r.warnWithin(), r.criticalWithin(), r.pendingFor(),
                r.matchers(), r.routes(), r.repeatInterval(), r.resolveAfter(), r.hysteresis(), r.staleAfter(),
                r.labels(), line);
    }
}
