package io.harbinger.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harbinger.collector.syscall.SyscallProbeOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** YAML config: documented defaults, the example file, and one clear line per mistake. */
class CollectorConfigTest {

    @Test
    void emptyConfigMeansTheDocumentedDefaults() {
        CollectorConfig c = CollectorConfig.parse("", "empty.yaml");
        assertEquals(SyscallProbeOptions.defaults(), c.settings().syscalls());
        assertEquals("127.0.0.1:9092", c.kafka().get("bootstrap.servers"));
        assertEquals("127.0.0.1", c.metricsBind());
        assertEquals(9464, c.metricsPort());
        assertEquals(1 << 18, c.settings().queueCapacity());
    }

    @Test
    void theShippedExampleParsesAndEqualsTheDefaults() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/collector-example.yaml")) {
            CollectorConfig c = CollectorConfig.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "collector-example.yaml");
            assertEquals(CollectorConfig.defaults(), c);
        }
    }

    @Test
    void filtersAndKafkaPassThrough() {
        CollectorConfig c = CollectorConfig.parse("""
                host: web-1
                kafka:
                  bootstrap.servers: k1:9092,k2:9092
                  security.protocol: SASL_SSL
                syscalls:
                  comms: [postgres, nginx]
                  syscalls: [read, write]
                  sample_every: 10
                  min_latency_us: 50
                  attach: raw_tp
                gomaps:
                  comms: [svc]
                  poll_interval_ms: 250
                """, "t.yaml");
        SyscallProbeOptions s = c.settings().syscalls();
        assertEquals(Set.of("postgres", "nginx"), s.comms());
        assertEquals(Set.of(0, 1), s.syscalls());
        assertEquals(10, s.sampleEvery());
        assertEquals(50_000, s.minLatencyNs());
        assertEquals(SyscallProbeOptions.Attach.RAW_TP, s.attach());
        assertEquals("SASL_SSL", c.kafka().get("security.protocol"));
        assertEquals(Set.of("svc"), c.settings().goMaps().comms());
        assertEquals("web-1", c.settings().host());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "syscalls: {sample_every: 0}|bad.yaml: syscalls: sample-every must be >= 1, got 0",
            "syscals: {}|bad.yaml: unknown key syscals",
            "syscalls: {syscalls: [nosuch]}|bad.yaml: syscalls.syscalls: unknown syscall 'nosuch'",
            "syscalls: {attach: kprobe}|bad.yaml: syscalls.attach: must be one of tp_btf, raw_tp, got 'kprobe'",
            "syscalls: {comms: [averyveryverylongname]}|bad.yaml: syscalls: comm 'averyveryverylongname' must be 1-15 bytes",
            "metrics: {port: 70000}|bad.yaml: metrics.port: must be 0-65535",
            "publish: {queue_capacity: 1000}|bad.yaml: queue capacity must be a power of two",
            "gomaps: {poll_interval_ms: x}|bad.yaml: gomaps.poll_interval_ms: must be an integer",
            "[1, 2]|bad.yaml: the document: must be a mapping",
            "a: [|bad.yaml: not valid YAML"})
    void mistakesGetOneLine(String yaml, String expectedStart) {
        CollectorConfig.ConfigException e = assertThrows(CollectorConfig.ConfigException.class,
                () -> CollectorConfig.parse(yaml, "bad.yaml"));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
