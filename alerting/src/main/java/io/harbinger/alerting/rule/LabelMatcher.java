package io.harbinger.alerting.rule;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Prometheus-style label matcher: {@code label="v"}, {@code label!="v"}, {@code label=~"re"}, {@code label!~"re"}.
 * Regexes are anchored at both ends, as in Prometheus. A label the subject lacks matches as the empty string.
 */
public record LabelMatcher(String label, Op op, String value, Pattern pattern) {
    public enum Op {
        EQ("="), NE("!="), RE("=~"), NRE("!~");

        private final String text;

        Op(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private static final Pattern SYNTAX =
            Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");

    public LabelMatcher {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Parses {@code label op "value"}.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static LabelMatcher parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("matcher '" + text + "' is not of the form label=\"value\" "
                    + "(operators =, !=, =~, !~)");
        }
        String value = m.group(3).replace("\\\"", "\"").replace("\\\\", "\\");
        return of(m.group(1), switch (m.group(2)) {
            case "=" -> Op.EQ;
            case "!=" -> Op.NE;
            case "=~" -> Op.RE;
            default -> Op.NRE;
        }, value);
    }

    public static LabelMatcher of(String label, Op op, String value) {
        Pattern p = null;
        if (op == Op.RE || op == Op.NRE) {
            try {
                p = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("matcher on '" + label + "' has an invalid regex '" + value + "': "
                        + e.getDescription());
            }
        }
        return new LabelMatcher(label, op, value, p);
    }

    public boolean matches(Map<String, String> labels) {
        String v = labels.getOrDefault(label, "");
        return switch (op) {
            case EQ -> v.equals(value);
            case NE -> !v.equals(value);
            case RE -> pattern.matcher(v).matches();
            case NRE -> !pattern.matcher(v).matches();
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && m.label.equals(label) && m.op == op && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, op, value);
    }

    @Override
    public String toString() {
        return label + op.text() + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
