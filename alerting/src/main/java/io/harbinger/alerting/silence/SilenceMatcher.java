package io.harbinger.alerting.silence;

import io.harbinger.schema.Silence;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Matching of alerts against silences (Alertmanager's {@code silence.getState} and matcher checks), pure.
 * A silence is active on [starts_at_ms, ends_at_ms); every matcher must equal the alert's label
 * (severity compares case-insensitively); a silence without matchers is refused when created.
 */
public final class SilenceMatcher {
    public enum State { PENDING, ACTIVE, EXPIRED }

    private SilenceMatcher() {}

    public static State state(Silence s, Instant now) {
        long t = now.toEpochMilli();
        if (t < s.getStartsAtMs()) {
            return State.PENDING;
        }
        return t < s.getEndsAtMs() ? State.ACTIVE : State.EXPIRED;
    }

    public static boolean matches(Silence s, Map<String, String> labels) {
        if (s.getMatchers().isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> m : s.getMatchers().entrySet()) {
            String v = labels.get(m.getKey());
            if (v == null) {
                return false;
            }
            boolean eq = m.getKey().equals("severity") ? v.equalsIgnoreCase(m.getValue()) : v.equals(m.getValue());
            if (!eq) {
                return false;
            }
        }
        return true;
    }

    /** The active silence (earliest id, for a stable answer) that matches, if any. */
    public static Optional<Silence> find(Iterable<Silence> silences, Map<String, String> labels, Instant now) {
        Silence best = null;
        for (Silence s : silences) {
            if (state(s, now) == State.ACTIVE && matches(s, labels)
                    && (best == null || Comparator.<String>naturalOrder().compare(s.getId(), best.getId()) < 0)) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }
}
