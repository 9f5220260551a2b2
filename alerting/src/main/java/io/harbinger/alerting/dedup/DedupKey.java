package io.harbinger.alerting.dedup;

import io.harbinger.alerting.rule.Rule;
import io.harbinger.alerting.rule.Subject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The stable identity of one (rule, subject) alert: the key on {@code harbinger.alerts}, the state store key and
 * the PagerDuty dedup_key. Readable and unambiguous: rule name and identity parts, each URL-encoded, joined by '/',
 * e.g. {@code gomap-growth/host-0/4000/0xc000012000} or {@code read-p99/db-1/postgres/read}.
 * It depends only on the rule name and the subject's identity, so every instance computes the same key.
 */
public final class DedupKey {
    private DedupKey() {}

    public static String of(Rule rule, Subject subject) {
        return of(rule.name(), subject);
    }

    public static String of(String ruleName, Subject subject) {
        StringBuilder b = new StringBuilder(encode(ruleName));
        for (String part : subject.identity()) {
            b.append('/').append(encode(part));
        }
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
