package io.harbinger.alerting;

import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.alerting.rule.RuleSet;
import io.harbinger.alerting.state.AlertEntry;
import io.harbinger.alerting.state.AlertStatus;
import io.harbinger.schema.Alert;
import io.harbinger.schema.AlertSeverity;
import io.harbinger.schema.DeadLetter;
import io.harbinger.serde.DeadLetterDeserializationHandler;
import io.harbinger.topics.Topics;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.harbinger.alerting.Timeline.at;
import static io.harbinger.alerting.Timeline.latency;
import static io.harbinger.alerting.Timeline.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timelines through the real topology (TopologyTestDriver), in the style of Alertmanager's acceptance tests:
 * trend records at event times in, the exact alert sequence out. Default rule unless a test says: gomap.count over
 * 1,000,000, warn_within 30m, critical_within 5m, resolve_after 10m, hysteresis 0.25.
 */
class AlertTimelineTest {
    static final Timeline.MapRef M1 = map("host-0", 4000, 0xc000012000L);
    static final Timeline.MapRef M2 = map("host-1", 4001, 0xc000013000L);
    static final String K1 = M1.key("gomap-growth");
    static final String K2 = M2.key("gomap-growth");

    static RuleSet rules(String yaml) {
        return RuleFile.parse("test.yaml", new StringReader(yaml));
    }

    /** A leak of 20k entries a minute from {@code start} at minute 0, one trend record a minute. */
    static void leak(Timeline tl, Timeline.MapRef m, double start, int fromMin, int toMin) {
        for (int min = fromMin; min <= toMin; min++) {
            tl.trend(min + "m", m, start + 20_000.0 * min, 20_000);
        }
    }

    @Test
    void escalation() {
        try (Timeline tl = Timeline.start(RuleFile.defaults())) {
            leak(tl, M1, 300_000, 0, 35); // crosses 1M at 35m
            assertEquals(List.of("5m WARNING " + K1, "30m CRITICAL " + K1), tl.alerts());

            Alert warning = tl.received().get(0);
            assertEquals(null, warning.getPreviousSeverity());
            assertEquals(at("5m"), warning.getFiredAtMs());
            assertEquals(at("35m"), warning.getPredictedBreachAtMs());
            Alert critical = tl.received().get(1);
            assertEquals(AlertSeverity.WARNING, critical.getPreviousSeverity());
            assertEquals(at("5m"), critical.getEpisodeStartedAtMs());
            assertEquals(at("30m"), critical.getFiredAtMs());
            assertEquals(900_000, critical.getValue());
            assertEquals(1_000_000, critical.getThreshold());
            assertEquals("gomap-growth", critical.getRule());
            assertEquals("gomap.count", critical.getMetric());
            assertEquals("host-0", critical.getHost());
            assertEquals(4000, critical.getPid());
            assertEquals(0xc000012000L, critical.getMapAddr());
            assertEquals("svc-4000", critical.getComm());
            assertNull(critical.getSyscall());
            assertEquals("gomap-growth CRITICAL: gomap.count of Go map 0xc000012000 of svc-4000 (pid 4000) on host-0 "
                    + "is 900000, forecast to reach 1000000 in 5m", critical.getSummary());
        }
    }

    @Test
    void resolveWithHysteresisThenNewEpisode() {
        try (Timeline tl = Timeline.start(RuleFile.defaults())) {
            tl.trend("0m", M1, 600_000, 20_000); // crosses in 20m
            for (int min = 1; min <= 15; min++) {
                tl.trend(min + "m", M1, 620_000, 0); // the leak stops: no forecast
            }
            tl.trend("20m", M1, 700_000, 20_000); // and starts again
            assertEquals(List.of("0m WARNING " + K1, "11m RESOLVED " + K1, "20m WARNING " + K1), tl.alerts());
            Alert resolved = tl.received().get(1);
            assertEquals(AlertSeverity.WARNING, resolved.getPreviousSeverity());
            assertEquals(at("0m"), resolved.getEpisodeStartedAtMs());
            assertNull(resolved.getPredictedBreachAtMs());
            assertEquals(at("20m"), tl.received().get(2).getEpisodeStartedAtMs());
        }
    }

    @Test
    void flappingForecastDoesNotResolveInsideTheHysteresisBand() {
        try (Timeline tl = Timeline.start(RuleFile.defaults())) {
            for (int min = 0; min <= 30; min++) {
                // alternately 20m and 32m out: 32m is outside warn_within but inside 30m * 1.25 once firing
                tl.trend(min + "m", M1, 600_000, min % 2 == 0 ? 20_000 : 12_500);
            }
            assertEquals(List.of("0m WARNING " + K1), tl.alerts());
        }
    }

    @Test
    void dedupOneRecordPerStateChange() {
        try (Timeline tl = Timeline.start(RuleFile.defaults())) {
            for (int min = 0; min <= 20; min++) {
                tl.trend(min + "m", M1, 600_000, 20_000);
                tl.trend(min + "m", M1, 600_000, 20_000); // redelivered
            }
            leak(tl, M2, 600_000, 0, 3);
            assertEquals(List.of("0m WARNING " + K1, "0m WARNING " + K2), tl.alerts());
            assertEquals(2, tl.mapStore().size());
        }
    }

    @Test
    void repeatAfterTheRepeatInterval() {
        RuleSet rules = rules("""
                rules:
                  - name: gomap-growth
                    metric: gomap.count
                    threshold: 1000000
                    warn_within: 30m
                    repeat_interval: 30m
                """);
        try (Timeline tl = Timeline.start(rules)) {
            for (int min = 0; min <= 70; min += 5) {
                tl.trend(min + "m", M1, 600_000, 20_000); // always 20m from crossing
            }
            assertEquals(List.of("0m WARNING " + K1, "30m WARNING repeat " + K1, "60m WARNING repeat " + K1),
                    tl.alerts());
        }
    }

    @Test
    void criticalInhibitsWarningOfTheSameSubject() {
        RuleSet rules = rules("""
                rules:
                  - name: gomap-growth
                    metric: gomap.count
                    threshold: 1000000
                    warn_within: 30m
                    critical_within: 5m
                  - name: collisions
                    metric: gomap.overflow_ratio
                    threshold: 0.5
                    warn_within: 30m
                """);
        String collisions = M1.key("collisions");
        try (Timeline tl = Timeline.start(rules)) {
            tl.trend("0m", M1, 600_000, 20_000, 0.6, true); // count: WARNING; collisions: over, CRITICAL
            tl.trend("0m", M2, 600_000, 20_000, 0.0, true); // another map: WARNING, not inhibited
            for (int min = 1; min <= 12; min++) {
                tl.trend(min + "m", M1, 600_000, 20_000, 0.1, true); // collisions clear
            }
            assertEquals(List.of(
                    "0m CRITICAL " + collisions,
                    "0m WARNING " + K2,
                    "11m WARNING " + K1,       // no longer inhibited: notified now, once
                    "11m RESOLVED " + collisions), tl.alerts());
            AlertEntry count = tl.mapStore().get(K1);
            assertEquals(AlertStatus.WARNING, count.state().status());
            assertEquals(at("0m"), count.state().episodeStartMs(), "state was kept while inhibited");
            assertNull(count.inhibitedBy());
        }
    }

    @Test
    void inhibitedStateIsVisibleInTheStore() {
        RuleSet rules = rules("""
                rules:
                  - {name: gomap-growth, metric: gomap.count, threshold: 1000000, warn_within: 30m}
                  - {name: collisions, metric: gomap.overflow_ratio, threshold: 0.5, warn_within: 30m}
                """);
        try (Timeline tl = Timeline.start(rules)) {
            tl.trend("0m", M1, 600_000, 20_000, 0.6, true);
            assertEquals(List.of("0m CRITICAL " + M1.key("collisions")), tl.alerts());
            assertEquals(M1.key("collisions"), tl.mapStore().get(K1).inhibitedBy());
            assertEquals(AlertStatus.WARNING, tl.mapStore().get(K1).state().status());
        }
    }

    @Test
    void silenceSuppressesNotificationButKeepsState() {
        try (Timeline tl = Timeline.start(RuleFile.defaults())) {
            tl.silence("0m", "s1", Map.of("host", "host-0"), "0m", "28m");
            for (int min = 0; min <= 31; min++) {
                tl.trend(min + "m", M1, 300_000 + 20_000.0 * min, 20_000);
                tl.trend(min + "m", M2, 300_000 + 20_000.0 * min, 20_000);
                if (min == 10) {
                    AlertEntry silenced = tl.mapStore().get(K1);
                    assertEquals(AlertStatus.WARNING, silenced.state().status());
                    assertEquals("s1", silenced.silencedBy());
                    assertEquals(at("5m"), silenced.state().episodeStartMs());
                }
            }
            assertEquals(List.of("5m WARNING " + K2,
                    "28m WARNING " + K1,  // the silence ended: the still-firing alert is notified
                    "30m CRITICAL " + K1, "30m CRITICAL " + K2), tl.alerts());
            assertEquals(at("5m"), tl.received().get(1).getFiredAtMs(), "fired_at is when the state changed");
        }
    }

    @Test
    void silenceBySeverityAndDeletion() {
        try (Timeline tl = Timeline.start(RuleFile.defaults())) {
            tl.silence("0m", "warnings", Map.of("severity", "warning", "rule", "gomap-growth"), "0m", "2h");
            tl.silence("0m", "m2", Map.of("host", "host-1"), "0m", "2h");
            for (int min = 0; min <= 31; min++) {
                if (min == 12) {
                    tl.unsilence("12m", "m2"); // DELETE /v1/silences/m2: a tombstone
                }
                tl.trend(min + "m", M1, 300_000 + 20_000.0 * min, 20_000);
                tl.trend(min + "m", M2, 300_000 + 20_000.0 * min, 20_000);
            }
            assertEquals(List.of("30m CRITICAL " + K1, "30m CRITICAL " + K2), tl.alerts(),
                    "warnings stay muted by the severity silence even once m2 is deleted");
        }
    }

    @Test
    void resolveIsSentEvenWhenSilencedAfterTheFiringWasNotified() {
        try (Timeline tl = Timeline.start(RuleFile.defaults())) {
            tl.trend("0m", M1, 600_000, 20_000);
            tl.silence("1m", "late", Map.of("host", "host-0"), "1m", "2h");
            for (int min = 1; min <= 12; min++) {
                tl.trend(min + "m", M1, 600_000, 0);
            }
            assertEquals(List.of("0m WARNING " + K1, "11m RESOLVED " + K1), tl.alerts());
        }
    }

    /**
     * Live, each partition's task has its own stream time; the backtest runs one task for all. Whatever the
     * interleaving, a subject sees its records and the housekeeping boundaries in event-time order, so the alerts
     * (times, values, forecasts) are the same: here another map's records run a minute ahead of the others, or behind.
     * M1 reaches CRITICAL with a sample at 25m exactly; M3's CRITICAL comes from the countdown in a sampling gap.
     */
    @Test
    void recheckGivesTheSameAlertsWhateverTheInterleaving() {
        Timeline.MapRef m3 = map("host-2", 4002, 0xc000014000L);
        List<List<Alert>> runs = new ArrayList<>();
        for (int lead : new int[] {0, 1, -1}) {
            try (Timeline tl = Timeline.start(RuleFile.defaults())) {
                for (int min = 0; min <= 50; min++) {
                    int other = min + lead;
                    if (lead > 0 || other >= 0) {
                        tl.trend(Math.max(other, 0) + "m", M2, 100_000, 0);
                    }
                    for (int sec = 0; sec < 60; sec += 10) {
                        String t = min + "m" + sec + "s";
                        double m = min + sec / 60.0;
                        // 10 s samples of leaks crossing 1,000,000 at 30m and at 40m; M3 unsampled from 30m to 45m
                        tl.trend(t, M1, 400_000 + 20_000 * m, 20_000);
                        if (min < 30 || min >= 45) {
                            tl.trend(t, m3, 200_000 + 20_000 * m, 20_000);
                        }
                    }
                }
                tl.alerts();
                runs.add(List.copyOf(tl.received()));
            }
        }
        assertEquals(2, runs.get(0).stream().filter(a -> a.getSeverity() == AlertSeverity.CRITICAL).count(),
                runs.get(0)::toString);
        assertEquals(runs.get(0), runs.get(1), "another map a minute ahead");
        assertEquals(runs.get(0), runs.get(2), "another map a minute behind");
    }

    @Test
    void staleSubjectResolves() {
        try (Timeline tl = Timeline.start(RuleFile.defaults())) {
            for (int min = 0; min <= 40 + AlertProcessor.LAG_BOUNDARIES; min++) {
                if (min <= 10) {
                    tl.trend(min + "m", M1, 600_000, 20_000);
                }
                tl.trend(min + "m", M2, 100_000, 0); // quiet map, keeps stream time moving
            }
            // the last forecast (crossing at 30m) counts down while the map is silent: CRITICAL at 25m, then the
            // subject goes stale 30m after its last data (handled once stream time is two minutes past 40m)
            assertEquals(List.of("0m WARNING " + K1, "25m CRITICAL " + K1, "40m RESOLVED " + K1), tl.alerts());
            assertTrue(tl.received().get(2).getSummary().contains("went silent (no data for 30m)"),
                    tl.received().get(2).getSummary());
        }
    }

    @Test
    void tombstoneResolvesAtOnce() {
        try (Timeline tl = Timeline.start(RuleFile.defaults())) {
            tl.trend("0m", M1, 600_000, 20_000);
            tl.gone("3m", M1);
            tl.gone("4m", M2); // nothing known: nothing sent
            tl.trend("30m", M2, 100_000, 0); // stream time moves on: a gone subject is not re-checked
            assertEquals(List.of("0m WARNING " + K1, "3m RESOLVED " + K1), tl.alerts());
        }
    }

    @Test
    void latencyAndErrorRateAcrossWindowsOfOneSeries() {
        RuleSet rules = rules("""
                rules:
                  - name: read-p99
                    metric: syscall.p99_ns
                    threshold: 5000000
                    warn_within: 30m
                    critical_within: 5m
                    matchers: ['syscall="read"']
                    route: {warning: chat, critical: pager}
                  - name: errors
                    metric: syscall.error_rate
                    threshold: 0.05
                    warn_within: 10m
                """);
        Timeline.LatencyRef read = latency("db-1", "postgres", "read");
        Timeline.LatencyRef write = latency("db-1", "postgres", "write");
        try (Timeline tl = Timeline.start(rules)) {
            for (int min = 0; min <= 26; min++) {
                double level = 2_000_000 + 100_000.0 * min; // crosses 5 ms at 30m
                tl.window(min + "m", read, (long) level, level, 100_000.0, 1000, 0);
                tl.window(min + "m", write, 40_000, null, null, 100, min < 3 ? 10 : 0);
            }
            assertEquals(List.of(
                    "0m WARNING " + read.key("read-p99"),
                    "0m CRITICAL " + write.key("errors"),
                    "13m RESOLVED " + write.key("errors"),
                    "25m CRITICAL " + read.key("read-p99")), tl.alerts());
            Alert first = tl.received().get(0);
            assertEquals("chat", first.getRoute());
            assertEquals("read", first.getSyscall());
            assertEquals("postgres", first.getComm());
            assertNull(first.getPid());
            assertEquals(0.1, tl.received().get(1).getValue());
            assertEquals("pager", tl.received().get(3).getRoute());
        }
    }

    @Test
    void poisonRecordsAreDeadLetteredAndProcessingGoesOn() {
        try (Timeline tl = Timeline.start(RuleFile.defaults())) {
            long undecodable = DeadLetterDeserializationHandler.deadLettered("timeline");
            tl.trend("0m", M1, -5, 20_000); // a negative count: deserializes, cannot be evaluated
            tl.raw("1m", Topics.GOMAP_TRENDS, new byte[] {1, 2}, new byte[] {(byte) 0xff, 0x00, 0x13});
            tl.trend("2m", M1, 600_000, 20_000);
            assertEquals(List.of("2m WARNING " + K1), tl.alerts());
            List<DeadLetter> letters = tl.deadLetters();
            assertEquals(1, letters.size(), "the poison trend (the undecodable one is core's handler's, checked in IT)");
            DeadLetter letter = letters.get(0);
            assertEquals(Topics.GOMAP_TRENDS, letter.getTopic());
            assertEquals(0, letter.getOffset());
            assertEquals("PoisonRecordException: negative count -5", letter.getReason());
            assertEquals("timeline", letter.getConsumer());
            assertTrue(letter.getValue() != null && letter.getValue().remaining() > 0, "original bytes kept");
            assertEquals(undecodable + 1, DeadLetterDeserializationHandler.deadLettered("timeline"));
        }
    }
}
