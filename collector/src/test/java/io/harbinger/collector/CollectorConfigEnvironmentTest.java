package io.harbinger.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HARBINGER_COLLECTOR_* variables over the YAML file: same keys, typed like YAML, validated like the file. */
class CollectorConfigEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void variablesOverrideTheFileKeyByKey() throws Exception {
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, "host: from-file\nsyscalls:\n  sample_every: 4\n  comms: [a]\nkafka:\n  acks: all\n");
        CollectorConfig c = CollectorConfig.load(file, Map.of(
                "HARBINGER_COLLECTOR_SYSCALLS_SAMPLE__EVERY", "10",
                "HARBINGER_COLLECTOR_GOMAPS_COMMS", "[api, worker]",
                "HARBINGER_COLLECTOR_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093",
                "HARBINGER_COLLECTOR_KAFKA_SASL_MECHANISM", "PLAIN",
                "HARBINGER_COLLECTOR_METRICS_PORT", "9500",
                "PATH", "/bin"));
        assertEquals("from-file", c.settings().host());
        assertEquals(10, c.settings().syscalls().sampleEvery());
        assertEquals(Set.of("a"), c.settings().syscalls().comms());
        assertEquals(Set.of("api", "worker"), c.settings().goMaps().comms());
        assertEquals("kafka-1:9093", c.kafka().get("bootstrap.servers"));
        assertEquals("PLAIN", c.kafka().get("sasl.mechanism"));
        assertEquals("all", c.kafka().get("acks"));
        assertEquals(9500, c.metricsPort());
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedWithTheirName() {
        CollectorConfig.ConfigException e = assertThrows(CollectorConfig.ConfigException.class,
                () -> CollectorConfig.load(null, Map.of("HARBINGER_COLLECTOR_SYSCALLS_SAMPLE_EVERY", "10")));
        assertTrue(e.getMessage().startsWith("environment: unknown key syscalls.sample.every"), e.getMessage());
        e = assertThrows(CollectorConfig.ConfigException.class,
                () -> CollectorConfig.load(null, Map.of("HARBINGER_COLLECTOR_METRICS_PORT", "many")));
        assertTrue(e.getMessage().contains("metrics.port"), e.getMessage());
    }

    @Test
    void noVariablesIsTheFileOrTheDefaults() {
        assertEquals(CollectorConfig.defaults(), CollectorConfig.load(null, Map.of("HOME", "/root")));
    }
}
