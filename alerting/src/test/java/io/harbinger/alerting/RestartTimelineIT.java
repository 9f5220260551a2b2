package io.harbinger.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.alerting.rule.RuleSet;
import io.harbinger.schema.Alert;
import io.harbinger.schema.AlertSeverity;
import io.harbinger.schema.DeadLetter;
import io.harbinger.topics.Topics;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restart without re-firing, against the real broker and registry: the alert state lives in changelogged stores,
 * so an instance that moves to an empty state directory (restored from the changelog) or restarts on its own
 * directory resumes every active alert and what was last sent.
 */
class RestartTimelineIT {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void movedAndRestartedInstancesNeitherRefireNorForget() throws Exception {
        RuleSet rules = RuleFile.defaults();
        try (KafkaTimeline tl = new KafkaTimeline()) {
            Timeline.MapRef m = tl.map("a", 4000, 0xc000012000L);
            String key = m.key("gomap-growth");

            try (AlertingService first = AlertingService.start(tl.config(rules))) {
                assertTrue(first.awaitRunning(WAIT), "first instance running");
                for (int min = 0; min <= 10; min++) {
                    tl.trend(min + "m", m, 300_000 + 20_000.0 * min, 20_000);
                }
                tl.corrupt("10m");
                tl.awaitCaughtUp(WAIT);
                assertEquals(List.of("5m WARNING " + key), tl.alerts());
                JsonNode active = get(first, "/v1/alerts?state=active&host=" + m.host());
                assertEquals(1, active.size());
                assertEquals("WARNING", active.get(0).get("status").asText());
                assertEquals(tl.at("5m"), active.get(0).get("episode_started_at_ms").asLong());

                List<DeadLetter> letters = tl.deadLetters();
                assertEquals(1, letters.size(), "the corrupt record went to the dead-letter topic");
                assertEquals(Topics.GOMAP_TRENDS, letters.get(0).getTopic());
                assertEquals("UNKNOWN_MAGIC_BYTE: magic byte 0x69, expected 0x00, on harbinger.gomap.trends",
                        letters.get(0).getReason(), "the key is not in the wire format");
            }

            Path movedDir = tl.newStateDir();
            try (AlertingService moved = AlertingService.start(tl.config(rules, movedDir))) {
                assertTrue(moved.awaitRunning(WAIT), "moved instance running");
                tl.trend("10m", m, 500_000, 20_000); // redelivered
                for (int min = 11; min <= 20; min++) {
                    tl.trend(min + "m", m, 300_000 + 20_000.0 * min, 20_000);
                }
                tl.awaitCaughtUp(WAIT);
                assertEquals(List.of(), tl.alerts(), "no re-fire after moving to an empty state dir");
                JsonNode active = get(moved, "/v1/alerts?state=active&host=" + m.host());
                assertEquals(1, active.size(), "the active alert was not forgotten");
                assertEquals(tl.at("5m"), active.get(0).get("episode_started_at_ms").asLong());
            }

            try (AlertingService restarted = AlertingService.start(tl.config(rules, movedDir))) {
                assertTrue(restarted.awaitRunning(WAIT), "restarted instance running");
                for (int min = 21; min <= 31; min++) {
                    tl.trend(min + "m", m, 300_000 + 20_000.0 * min, 20_000);
                }
                tl.awaitCaughtUp(WAIT);
                List<Alert> after = tl.alertRecords();
                assertEquals(1, after.size(), after.toString());
                Alert critical = after.get(0);
                assertEquals(AlertSeverity.CRITICAL, critical.getSeverity());
                assertEquals(tl.at("30m"), critical.getFiredAtMs());
                assertEquals(AlertSeverity.WARNING, critical.getPreviousSeverity(), "remembers what was sent");
                assertEquals(tl.at("5m"), critical.getEpisodeStartedAtMs(), "remembers the episode");
            }
        }
    }

    static JsonNode get(AlertingService s, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + s.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
