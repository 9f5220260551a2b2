package io.harbinger.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnvironmentKeysTest {
    @ParameterizedTest
    @CsvSource({
            "HARBINGER_STREAMS_, bootstrap.servers, HARBINGER_STREAMS_BOOTSTRAP_SERVERS",
            "HARBINGER_STREAMS_, harbinger.http.port, HARBINGER_STREAMS_HARBINGER_HTTP_PORT",
            "HARBINGER_COLLECTOR_, syscalls.sample_every, HARBINGER_COLLECTOR_SYSCALLS_SAMPLE__EVERY",
            "HARBINGER_ALERTING_, alerting.sink.pd-1.routing.key, HARBINGER_ALERTING_ALERTING_SINK_PD___1_ROUTING_KEY",
            "HARBINGER_STREAMS_, sasl.jaas.config, HARBINGER_STREAMS_SASL_JAAS_CONFIG",
    })
    void keyAndVariableAreInverse(String prefix, String key, String variable) {
        assertEquals(variable, EnvironmentKeys.variable(prefix, key));
        assertEquals(key, EnvironmentKeys.key(variable.substring(prefix.length())));
    }

    @Test
    void onlyTheServicesPrefixCounts() {
        assertEquals(Map.of("bootstrap.servers", "k:9092"), EnvironmentKeys.keys(EnvironmentKeys.STREAMS,
                Map.of("HARBINGER_STREAMS_BOOTSTRAP_SERVERS", "k:9092", "HARBINGER_ALERTING_BOOTSTRAP_SERVERS", "x",
                        "PATH", "/bin", "HARBINGER_STREAMS_", "empty")));
    }
}
