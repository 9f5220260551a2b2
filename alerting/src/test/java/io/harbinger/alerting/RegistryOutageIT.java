package io.harbinger.alerting;

import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.alerting.rule.RuleSet;
import io.harbinger.platform.testing.BlackholeProxy;
import io.harbinger.serde.SerdeConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A schema-registry outage while the first alert is encoded, against the real broker and the real registry behind a
 * proxy that turns into a network partition: the alert's value needs the registry (its id for
 * {@code harbinger.alerts-value}), the trend that caused it does not any more (its schema is cached). The alert must
 * be neither lost nor dead-lettered with its trend: the task fails, its transaction aborts, and the trend is
 * processed again from the last commit until the registry answers - then the alert goes out exactly once.
 */
class RegistryOutageIT {
    static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void anAlertEncodedWhileTheRegistryIsAwayIsRetriedNotLost() throws Exception {
        RuleSet rules = RuleFile.defaults();
        try (KafkaTimeline tl = new KafkaTimeline(); BlackholeProxy proxy = new BlackholeProxy()) {
            URI direct = URI.create(tl.registry.url());
            proxy.start(direct.getPort());
            String viaProxy = direct.getScheme() + "://127.0.0.1:" + proxy.port() + direct.getPath();
            AlertingConfig config = tl.config(rules).withKafka(Map.of(
                    SerdeConfig.SCHEMA_REGISTRY_URL, viaProxy,
                    SerdeConfig.REQUEST_TIMEOUT_MS, 1000,
                    SerdeConfig.RETRIES, 1));
            Timeline.MapRef m = tl.map("a", 4100, 0xc000013000L);
            String key = m.key("gomap-growth");

            // Earlier timelines' records on the shared topics would make this instance publish (other hosts') alerts
            // before the outage - and cache the alert schema's id - so it reads only this timeline's records.
            tl.startAtEnd();
            try (AlertingService service = AlertingService.start(config)) {
                assertTrue(service.awaitRunning(WAIT), "running");
                // 35 minutes from the threshold: no alert, but the trend's key and value schemas are now cached; and
                // so is the dead letter's (a poison record went there), so a dead letter could be written in the
                // outage - as when the registry fails one subject only (a 5xx for harbinger.alerts-value)
                tl.trend("0m", m, 300_000, 20_000);
                tl.corrupt("0m");
                tl.awaitCaughtUp(WAIT);
                assertEquals(List.of(), tl.alerts());
                assertEquals(1, tl.deadLetters().size(), "the poison record");

                proxy.blackhole(true);
                for (int min = 1; min <= 10; min++) {
                    tl.trend(min + "m", m, 300_000 + 20_000.0 * min, 20_000); // WARNING due at 5m
                }
                tl.flush();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (service.registryRetries() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(service.registryRetries() >= 2, "the task failed on the registry and was retried: "
                        + service.registryRetries());
                assertEquals(List.of(), tl.alerts(), "nothing committed while the alert cannot be encoded");
                assertEquals(1, tl.deadLetters().size(), "the trend is not dead-lettered");
                assertNull(service.fatal(), "the service keeps running");

                proxy.blackhole(false);
                tl.awaitCaughtUp(WAIT);
                assertEquals(List.of("5m WARNING " + key), tl.alerts(), "the alert, once");
                assertEquals(1, tl.deadLetters().size());
                assertNull(service.fatal());
                assertTrue(service.awaitRunning(WAIT), "running again: " + service.streams().state());
            }
        }
    }
}
