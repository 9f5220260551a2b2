package io.harbinger.alerting.dedup;

import io.harbinger.alerting.rule.Metric;
import io.harbinger.alerting.rule.Rule;
import io.harbinger.alerting.rule.Subject;
import io.harbinger.alerting.state.AlertStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** After Alertmanager's TestDedupStageNeedsUpdate: a table with a fixed now. */
class DedupStageTest {
    static final long NOW = 1_767_225_600_000L;

    @ParameterizedTest(name = "last={0}@{1}m current={2} muted={3} repeat={4} -> {5}")
    @CsvSource({
            // last status, minutes ago, current, muted, repeat interval, decision
            ",         ,   WARNING,  false, 4h, FIRING",
            "RESOLVED, 5,  WARNING,  false, 4h, FIRING",
            "WARNING,  5,  WARNING,  false, 4h, UNCHANGED",
            "WARNING,  240, WARNING, false, 4h, REPEAT",
            "WARNING,  239, WARNING, false, 4h, UNCHANGED",
            "WARNING,  999, WARNING, false, 0s, UNCHANGED",
            "WARNING,  5,  CRITICAL, false, 4h, CHANGED",
            "CRITICAL, 5,  CRITICAL, false, 4h, UNCHANGED",
            ",         ,   WARNING,  true,  4h, MUTED",
            "WARNING,  999, WARNING, true,  4h, MUTED",
            "WARNING,  5,  CRITICAL, true,  4h, MUTED",
            "WARNING,  5,  RESOLVED, false, 4h, RESOLVED",
            "CRITICAL, 5,  RESOLVED, true,  4h, RESOLVED",
            ",         ,   RESOLVED, false, 4h, NOT_NOTIFIED",
            "RESOLVED, 5,  RESOLVED, false, 4h, NOT_NOTIFIED",
            ",         ,   PENDING,  false, 4h, NOT_FIRING",
            "WARNING,  5,  PENDING,  false, 4h, NOT_FIRING",
    })
    void needsUpdate(AlertStatus last, Integer minutesAgo, AlertStatus current, boolean muted, String repeat,
                     DedupStage.Decision want) {
        NotificationEntry entry = last == null ? null : new NotificationEntry(last, NOW - minutesAgo * 60_000L);
        Duration r = io.harbinger.alerting.rule.Durations.parse(repeat);
        assertEquals(want, DedupStage.needsUpdate(entry, current, muted, r, Instant.ofEpochMilli(NOW)));
    }

    @Test
    void dedupKeysAreStableReadableAndUnambiguous() {
        Rule r = Rule.of("gomap-growth", Metric.GOMAP_COUNT, 1, Duration.ofMinutes(1), Duration.ZERO);
        assertEquals("gomap-growth/host-0/4000/0xc000012000",
                DedupKey.of(r, new Subject.GoMap("host-0", 4000, 0xc000012000L, "svc")));
        assertEquals(DedupKey.of(r, new Subject.GoMap("h", 1, 2, "a")), DedupKey.of(r, new Subject.GoMap("h", 1, 2, "b")),
                "comm is not identity");
        assertEquals("read-p99/db-1/post%2Fgres/read",
                DedupKey.of("read-p99", new Subject.Latency("db-1", "post/gres", "read")));
        assertNotEquals(DedupKey.of("r", new Subject.Latency("a/b", "c", "d")),
                DedupKey.of("r", new Subject.Latency("a", "b/c", "d")));
    }
}
