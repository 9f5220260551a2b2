package io.harbinger.alerting;

import io.harbinger.alerting.notify.SinkConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One properties fixture per config case (src/test/resources/config). */
class AlertingConfigTest {
    static Path fixture(String name) {
        try {
            return Path.of(AlertingConfigTest.class.getResource("/config/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void defaultsWork() {
        AlertingConfig c = AlertingConfig.load(null, null);
        assertEquals("harbinger-alerting", c.applicationId());
        assertEquals("127.0.0.1:9092", c.kafka().get("bootstrap.servers"));
        assertEquals("exactly_once_v2", c.kafka().get("processing.guarantee"));
        assertEquals(DeadLetterProcessingHandler.class.getName(), c.kafka().get("processing.exception.handler"));
        assertEquals("127.0.0.1", c.httpHost());
        assertEquals(8095, c.httpPort());
        assertNull(c.httpToken());
        assertTrue(c.sinks().isEmpty());
        assertEquals("gomap-growth", c.rules().rules().get(0).name());
        assertEquals("latest", c.sinkStart());
    }

    @Test
    void everyKey() {
        AlertingConfig c = AlertingConfig.load(fixture("full.properties"),
                RuleFileTestFixtures.path("full.yaml"));
        assertEquals("alerting-prod", c.applicationId());
        assertEquals("SASL_SSL", c.kafka().get("security.protocol"), "client settings pass through");
        assertEquals("0.0.0.0", c.httpHost());
        assertEquals(9000, c.httpPort());
        assertEquals("s3cret", c.httpToken());
        assertEquals(Duration.ofHours(2), c.resolvedRetention());
        assertEquals(Duration.ofSeconds(30), c.housekeepingEvery());
        assertEquals("earliest", c.sinkStart());
        assertEquals(4, c.rules().rules().size(), "--rules wins");
        SinkConfig pd = c.sinks().get(0);
        assertEquals(new SinkConfig("pd", SinkConfig.Type.PAGERDUTY, SinkConfig.PAGERDUTY_EVENTS_V2, "R0UTINGKEY",
                Set.of("pager"), 5, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(10), null), pd);
        SinkConfig am = c.sinks().get(1);
        assertEquals(new SinkConfig("am", SinkConfig.Type.WEBHOOK, URI.create("http://receiver:9095/hook"), null,
                Set.of(), 2, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(3), "hook-token"), am);

        String shown = c.toString();
        assertFalse(shown.contains("p4ss") || shown.contains("s3cret") || shown.contains("R0UTINGKEY")
                || shown.contains("hook-token"), shown);
        assertTrue(shown.contains("sasl.jaas.config=[hidden]"), shown);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "pagerduty-without-key.properties | sink 'pd': a pagerduty sink needs routing.key",
            "undeclared-sink.properties       | 'alerting.sink.x.type' configures sink 'x', which alerting.sinks does not list",
            "bad-port.properties              | alerting.http.port must be an integer, got 'http'",
            "bad-sink-type.properties         | alerting.sink.a.type 'slack' is not one of pagerduty, webhook",
            "bad-duration.properties          | alerting.resolved.retention: 'an hour' is not a duration (e.g. 90s, 30m, 1h30m, 500ms)",
            "bad-url.properties               | alerting.sink.a.url 'ftp://x/': not an http(s) URL",
            "bad-start.properties             | alerting.sinks.start must be latest or earliest, got 'now'",
    })
    void invalidConfigsNameTheFileAndKey(String file, String reason) {
        Path p = fixture(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlertingConfig.load(p, null));
        assertEquals(p + ": " + reason, e.getMessage());
    }

    @Test
    void missingConfigFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AlertingConfig.load(Path.of("/nonexistent.properties"), null));
        assertEquals("/nonexistent.properties: no such file", e.getMessage());
    }

    /** The rules fixtures of RuleFileTest. */
    static final class RuleFileTestFixtures {
        static Path path(String name) {
            try {
                return Path.of(AlertingConfigTest.class.getResource("/rules/" + name).toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
