package io.harbinger.streams.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** HARBINGER_STREAMS_* variables over the properties file. */
class StreamsServiceConfigEnvironmentTest {
    @Test
    void variablesOverrideTheFile() {
        Properties file = new Properties();
        file.put("harbinger.http.port", "9000");
        file.put("bootstrap.servers", "file:9092");
        StreamsServiceConfig c = StreamsServiceConfig.from(StreamsServiceConfig.withEnvironment(file, Map.of(
                "HARBINGER_STREAMS_BOOTSTRAP_SERVERS", "kafka:9092",
                "HARBINGER_STREAMS_HARBINGER_HTTP_BIND", "0.0.0.0",
                "HARBINGER_STREAMS_HARBINGER_LATENCY_WINDOW_MS", "10000",
                "HARBINGER_STREAMS_NUM_STANDBY_REPLICAS", "2",
                "HARBINGER_ALERTING_BOOTSTRAP_SERVERS", "not-mine:9092")), Path.of("/tmp/state"));
        assertEquals("kafka:9092", c.streamsProperties().getProperty("bootstrap.servers"));
        assertEquals("0.0.0.0", c.httpBind());
        assertEquals(9000, c.httpPort());
        assertEquals(10_000, c.processor().window().toMillis());
        assertEquals("2", c.streamsProperties().getProperty("num.standby.replicas"));
        assertEquals("127.0.0.1", c.advertisedHost(), "0.0.0.0 is advertised as loopback unless told");
    }
}
