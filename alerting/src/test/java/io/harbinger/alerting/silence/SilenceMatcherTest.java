package io.harbinger.alerting.silence;

import io.harbinger.schema.Silence;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SilenceMatcherTest {
    static Silence silence(String id, Map<String, String> m, long from, long to) {
        return Silence.newBuilder().setId(id).setMatchers(m).setStartsAtMs(from).setEndsAtMs(to).build();
    }

    @Test
    void stateFollowsTheWindow() {
        Silence s = silence("s", Map.of("host", "h"), 100, 200);
        assertEquals(SilenceMatcher.State.PENDING, SilenceMatcher.state(s, Instant.ofEpochMilli(99)));
        assertEquals(SilenceMatcher.State.ACTIVE, SilenceMatcher.state(s, Instant.ofEpochMilli(100)));
        assertEquals(SilenceMatcher.State.ACTIVE, SilenceMatcher.state(s, Instant.ofEpochMilli(199)));
        assertEquals(SilenceMatcher.State.EXPIRED, SilenceMatcher.state(s, Instant.ofEpochMilli(200)));
    }

    @Test
    void allMatchersMustEqual() {
        Map<String, String> labels = Map.of("host", "h1", "rule", "r", "severity", "warning");
        assertTrue(SilenceMatcher.matches(silence("a", Map.of("host", "h1"), 0, 1), labels));
        assertTrue(SilenceMatcher.matches(silence("a", Map.of("host", "h1", "severity", "WARNING"), 0, 1), labels));
        assertFalse(SilenceMatcher.matches(silence("a", Map.of("host", "h1", "rule", "x"), 0, 1), labels));
        assertFalse(SilenceMatcher.matches(silence("a", Map.of("pid", "1"), 0, 1), labels), "absent label");
        assertFalse(SilenceMatcher.matches(silence("a", Map.of(), 0, 1), labels), "empty matches nothing");
    }

    @Test
    void findPicksAnActiveMatchStably() {
        Map<String, String> labels = Map.of("host", "h1");
        List<Silence> all = List.of(silence("b", Map.of("host", "h1"), 0, 100),
                silence("a", Map.of("host", "h1"), 0, 100), silence("0", Map.of("host", "h1"), 50, 100),
                silence("c", Map.of("host", "h2"), 0, 100));
        assertEquals("a", SilenceMatcher.find(all, labels, Instant.ofEpochMilli(10)).orElseThrow().getId());
        assertEquals("0", SilenceMatcher.find(all, labels, Instant.ofEpochMilli(60)).orElseThrow().getId());
        assertTrue(SilenceMatcher.find(all, labels, Instant.ofEpochMilli(100)).isEmpty());
    }
}
