package io.harbinger.alerting.rule;

import java.util.List;
import java.util.Optional;

/** The validated rules of one rules file, in file order; names are unique. */
public record RuleSet(String source, List<Rule> rules) {
    public RuleSet {
        rules = List.copyOf(rules);
    }

    public static RuleSet of(Rule... rules) {
        return new RuleSet("<code>", List.of(rules));
    }

    /** Rules that watch this kind of subject. */
    public List<Rule> forKind(Subject.Kind kind) {
        return rules.stream().filter(r -> r.metric().subjectKind() == kind).toList();
    }

    public Optional<Rule> byName(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
