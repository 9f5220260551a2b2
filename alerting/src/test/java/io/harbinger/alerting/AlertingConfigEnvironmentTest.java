package io.harbinger.alerting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HARBINGER_ALERTING_* variables over the properties file: same keys, validated the same way. */
class AlertingConfigEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void variablesOverrideTheFile() throws Exception {
        Path file = dir.resolve("alerting.properties");
        Files.writeString(file, "alerting.http.port=9000\nbootstrap.servers=file:9092\n");
        AlertingConfig c = AlertingConfig.load(file, null, Map.of(
                "HARBINGER_ALERTING_ALERTING_HTTP_HOST", "0.0.0.0",
                "HARBINGER_ALERTING_BOOTSTRAP_SERVERS", "kafka:9092",
                "HARBINGER_ALERTING_ALERTING_SINKS", "pd",
                "HARBINGER_ALERTING_ALERTING_SINK_PD_TYPE", "pagerduty",
                "HARBINGER_ALERTING_ALERTING_SINK_PD_ROUTING_KEY", "R0UTING",
                "HARBINGER_STREAMS_BOOTSTRAP_SERVERS", "not-mine:9092"));
        assertEquals("0.0.0.0", c.httpHost());
        assertEquals(9000, c.httpPort());
        assertEquals("kafka:9092", c.kafka().get("bootstrap.servers"));
        assertEquals(1, c.sinks().size());
        assertEquals("R0UTING", c.sinks().get(0).routingKey());
    }

    @Test
    void unknownAlertingKeysFromTheEnvironmentAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlertingConfig.load(null, null,
                Map.of("HARBINGER_ALERTING_ALERTING_HTTP_PROT", "1")));
        assertTrue(e.getMessage().startsWith("config and environment: unknown key 'alerting.http.prot'"), e.getMessage());
    }
}
