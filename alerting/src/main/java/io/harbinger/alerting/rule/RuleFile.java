package io.harbinger.alerting.rule;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a rules file (CONTRACTS.md, "Alert rules"). Validation happens while parsing, against the
 * YAML node tree, so every error names the line it is about: {@code FILE:LINE: reason}.
 */
public final class RuleFile {
    /** The built-in rules: exactly the rule of CONTRACTS.md. */
    public static final String DEFAULT_RESOURCE = "/io/harbinger/alerting/default-rules.yaml";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,63}");
    private static final Set<String> TOP_KEYS = Set.of("rules");
    private static final List<String> RULE_KEYS = List.of("name", "metric", "threshold", "warn_within",
            "critical_within", "for", "matchers", "route", "repeat_interval", "resolve_after", "hysteresis",
            "stale_after", "labels");
    private static final Set<String> MATCHER_LABELS = Set.of("host", "comm", "syscall");
    /** Labels every alert carries already; a rule's own labels may not shadow them. */
    public static final Set<String> RESERVED_LABELS =
            Set.of("rule", "metric", "severity", "host", "pid", "map_addr", "comm", "syscall", "dedup_key");
    private static final Set<String> ROUTE_SEVERITIES = Set.of("warning", "critical");

    private final String file;

    private RuleFile(String file) {
        this.file = file;
    }

    /** Loads {@code path}; a missing or unreadable file is reported as {@code FILE:0: reason}. */
    public static RuleSet load(Path path) {
        String name = path.toString();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return parse(name, r);
        } catch (NoSuchFileException e) {
            throw new InvalidRuleException(name, 0, "no such file");
        } catch (IOException e) {
            throw new InvalidRuleException(name, 0, "cannot read: " + e.getMessage());
        }
    }

    /** The default rules (CONTRACTS.md). */
    public static RuleSet defaults() {
        InputStream in = RuleFile.class.getResourceAsStream(DEFAULT_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("default rules resource missing: " + DEFAULT_RESOURCE);
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse("default-rules.yaml", r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RuleSet parse(String file, Reader reader) {
        return new RuleFile(file).read(reader);
    }

    private RuleSet read(Reader reader) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw error(m == null ? 0 : m.getLine() + 1, "invalid YAML: " + oneLine(problem));
        } catch (YAMLException e) {
            throw error(0, "invalid YAML: " + oneLine(e.getMessage()));
        }
        if (root == null) {
            throw error(1, "empty rules file: expected 'rules:' with at least one rule");
        }
        MappingNode top = mapping(root, "the rules file");
        Map<String, Node> fields = fields(top, TOP_KEYS, "at the top level");
        Node rulesNode = fields.get("rules");
        if (rulesNode == null) {
            throw error(line(top), "missing 'rules:'");
        }
        if (!(rulesNode instanceof SequenceNode seq)) {
            throw error(line(rulesNode), "'rules' must be a list of rules");
        }
        if (seq.getValue().isEmpty()) {
            throw error(line(seq), "'rules' is empty: define at least one rule");
        }
        List<Rule> rules = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node n : seq.getValue()) {
            Rule rule = rule(n);
            Integer first = seen.putIfAbsent(rule.name(), rule.line());
            if (first != null) {
                throw error(rule.line(), "duplicate rule name '" + rule.name() + "' (first defined at line " + first
                        + ")");
            }
            rules.add(rule);
        }
        return new RuleSet(file, rules);
    }

    private Rule rule(Node node) {
        MappingNode map = mapping(node, "a rule");
        int line = line(map);
        Map<String, Node> f = fields(map, Set.copyOf(RULE_KEYS), "in a rule");

        String name = string(require(f, "name", map), "name");
        if (!NAME.matcher(name).matches()) {
            throw error(line(f.get("name")), "rule name '" + name + "' must be 1-64 characters of letters, digits, "
                    + "'_', '.', '-', starting with a letter or digit");
        }
        String where = "rule '" + name + "': ";
        String metricId = string(require(f, "metric", map), "metric");
        Metric metric = Metric.byId(metricId).orElseThrow(() -> error(line(f.get("metric")),
                where + "unknown metric '" + metricId + "' (one of " + Metric.ids() + ")"));

        Node thresholdNode = require(f, "threshold", map);
        double threshold = number(thresholdNode, where + "threshold");
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw error(line(thresholdNode), where + "threshold must be a finite number > 0, got " + threshold);
        }
        if (metric == Metric.SYSCALL_ERROR_RATE && threshold > 1) {
            throw error(line(thresholdNode), where + "threshold of syscall.error_rate is a fraction of calls, "
                    + "at most 1, got " + threshold);
        }

        Duration warnWithin = duration(require(f, "warn_within", map), where + "warn_within");
        if (warnWithin.isZero()) {
            throw error(line(f.get("warn_within")), where + "warn_within must be > 0");
        }
        Duration criticalWithin = optDuration(f, "critical_within", Rule.DEFAULT_CRITICAL_WITHIN, where);
        if (criticalWithin.compareTo(warnWithin) > 0) {
            throw error(line(f.get("critical_within")), where + "critical_within (" + Durations.format(criticalWithin)
                    + ") exceeds warn_within (" + Durations.format(warnWithin) + ")");
        }
        Duration pendingFor = optDuration(f, "for", Rule.DEFAULT_FOR, where);
        Duration repeat = optDuration(f, "repeat_interval", Rule.DEFAULT_REPEAT_INTERVAL, where);
        Duration resolveAfter = optDuration(f, "resolve_after", Rule.DEFAULT_RESOLVE_AFTER, where);
        Duration staleAfter = optDuration(f, "stale_after", Rule.DEFAULT_STALE_AFTER, where);
        if (staleAfter.isZero()) {
            throw error(line(f.get("stale_after")), where + "stale_after must be > 0");
        }
        double hysteresis = Rule.DEFAULT_HYSTERESIS;
        if (f.containsKey("hysteresis")) {
            hysteresis = number(f.get("hysteresis"), where + "hysteresis");
            if (!(hysteresis >= 0 && hysteresis < 1)) {
                throw error(line(f.get("hysteresis")), where + "hysteresis is a fraction in [0, 1), got "
                        + hysteresis);
            }
        }
        List<LabelMatcher> matchers = matchers(f.get("matchers"), metric, where);
        Map<String, String> routes = routes(f.get("route"), where);
        Map<String, String> labels = labels(f.get("labels"), where);
        return new Rule(name, metric, threshold, warnWithin, criticalWithin, pendingFor, matchers, routes, repeat,
                resolveAfter, hysteresis, staleAfter, labels, line);
    }

    private List<LabelMatcher> matchers(Node node, Metric metric, String where) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            throw error(line(node), where + "'matchers' must be a list like ['host=\"h1\"', 'comm=~\"post.*\"']");
        }
        List<LabelMatcher> out = new ArrayList<>();
        for (Node n : seq.getValue()) {
            String text = string(n, "matcher");
            LabelMatcher m;
            try {
                m = LabelMatcher.parse(text);
            } catch (IllegalArgumentException e) {
                throw error(line(n), where + e.getMessage());
            }
            if (!MATCHER_LABELS.contains(m.label())) {
                throw error(line(n), where + "matcher label '" + m.label() + "' is not one of host, comm, syscall");
            }
            if (m.label().equals("syscall") && metric.subjectKind() != Subject.Kind.LATENCY) {
                throw error(line(n), where + "matcher on 'syscall' cannot match " + metric.id()
                        + " (a Go map has no syscall)");
            }
            out.add(m);
        }
        return out;
    }

    private Map<String, String> routes(Node node, String where) {
        if (node == null || isNull(node)) {
            return Map.of();
        }
        if (node instanceof ScalarNode) {
            String r = string(node, "route");
            return Map.of("warning", r, "critical", r);
        }
        if (!(node instanceof MappingNode m)) {
            throw error(line(node), where + "'route' must be a route name or a mapping {warning: NAME, critical: NAME}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : fields(m, ROUTE_SEVERITIES, where + "in 'route'").entrySet()) {
            out.put(e.getKey(), string(e.getValue(), "route " + e.getKey()));
        }
        return out;
    }

    private Map<String, String> labels(Node node, String where) {
        if (node == null || isNull(node)) {
            return Map.of();
        }
        if (!(node instanceof MappingNode m)) {
            throw error(line(node), where + "'labels' must be a mapping of label name to value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = string(t.getKeyNode(), "label name");
            if (!LABEL_NAME.matcher(key).matches()) {
                throw error(line(t.getKeyNode()), where + "label name '" + key + "' is not a valid label name");
            }
            if (RESERVED_LABELS.contains(key)) {
                throw error(line(t.getKeyNode()), where + "label '" + key + "' is set by Harbinger and cannot be "
                        + "overridden");
            }
            out.put(key, string(t.getValueNode(), "label " + key));
        }
        return out;
    }

    // --- node helpers -------------------------------------------------------------------------------------

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw error(line(node), what + " must be a mapping of keys to values");
    }

    /** The mapping's keys to value nodes; unknown keys are errors that list the known ones. */
    private Map<String, Node> fields(MappingNode map, Set<String> known, String where) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks)) {
                throw error(line(k), "keys must be plain words " + where);
            }
            String key = ks.getValue();
            if (!known.contains(key)) {
                List<String> sorted = known.stream().sorted().toList();
                if (known.size() == RULE_KEYS.size() && known.containsAll(RULE_KEYS)) {
                    sorted = RULE_KEYS;
                }
                throw error(line(k), "unknown key '" + key + "' " + where + " (known: " + String.join(", ", sorted)
                        + ")");
            }
            if (out.put(key, t.getValueNode()) != null) {
                throw error(line(k), "duplicate key '" + key + "' " + where);
            }
        }
        return out;
    }

    private Node require(Map<String, Node> f, String key, MappingNode owner) {
        Node n = f.get(key);
        if (n == null || isNull(n)) {
            throw error(n == null ? line(owner) : line(n), "rule is missing '" + key + "'"
                    + (f.get("name") instanceof ScalarNode s && !key.equals("name") ? " (rule '" + s.getValue() + "')"
                    : ""));
        }
        return n;
    }

    private String string(Node n, String what) {
        if (!(n instanceof ScalarNode s) || isNull(n)) {
            throw error(line(n), what + " must be a single value");
        }
        String v = s.getValue().trim();
        if (v.isEmpty()) {
            throw error(line(n), what + " is empty");
        }
        return v;
    }

    private double number(Node n, String what) {
        String text = string(n, what).replace("_", "");
        try {
            double v = Double.parseDouble(text);
            if (Double.isNaN(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(line(n), what + " must be a number, got '" + text + "'");
        }
    }

    private Duration duration(Node n, String what) {
        try {
            return Durations.parse(string(n, what));
        } catch (IllegalArgumentException e) {
            throw error(line(n), what + ": " + e.getMessage());
        }
    }

    private Duration optDuration(Map<String, Node> f, String key, Duration dflt, String where) {
        Node n = f.get(key);
        return n == null || isNull(n) ? dflt : duration(n, where + key);
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s+", " ").trim();
    }

    private InvalidRuleException error(int line, String reason) {
        return new InvalidRuleException(file, line, reason);
    }
}
