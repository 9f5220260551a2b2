package io.harbinger.reliability;

import io.harbinger.alerting.AlertingService;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.streams.app.StreamsService;
import kafka.server.BrokerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 7, item 1: one of three brokers (replication 3, min.insync.replicas=2) is stopped while the collector's
 * publishing path sends raw events and the streams processor and alerting (both exactly-once v2) run, and started
 * again while they still run. Afterwards, read_committed: every published event is counted exactly once in the
 * closed latency windows, every map snapshot gave exactly one trend, and the windows, trends and alerts are exactly
 * those of the offline backtest of the same input (no alert lost or duplicated).
 */
class BrokerFaultIT {
    static final int RATE = 800; // events/s: about 20 s of publishing, the broker away for the middle third

    @Test
    void aBrokerStoppedAndRestartedMidStreamLosesAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        Workload w = new Workload();
        Path rules = Files.writeString(dir.resolve("rules.yaml"), Workload.RULES);
        Outputs expected = Outputs.backtest(w, dir.resolve("backtest"), rules, Duration.ofSeconds(5));
        assertEquals((long) w.syscalls.size(), sum(expected), "the backtest counts every event");

        EmbeddedKafkaCluster.Options options = EmbeddedKafkaCluster.Options.single().withBrokers(3)
                .withBrokerProperties(Map.of("min.insync.replicas", "2", "transaction.state.log.min.isr", "2"));
        ExecutorService faults = Executors.newSingleThreadExecutor();
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(options)) {
            Services.createAuditableTopics(kafka);
            Map<String, Object> client = new HashMap<>(kafka.clientConfig());
            client.put("schema.registry.url", TestSchemaRegistry.shared().url());
            client.put("replication.factor", "3"); // Streams' internal topics, like the contract's

            var sp = Services.streamsProperties(client, "fault-streams", dir.resolve("streams-state"));
            var ap = Services.write(Services.alertingProperties(client, "fault-alerting", dir.resolve("alerting-state"),
                    rules), dir.resolve("alerting.properties"));
            int victim = kafka.testKit().brokers().keySet().stream().sorted().toList().get(1);
            BrokerServer broker = kafka.testKit().brokers().get(victim);
            long[] down = new long[2];
            try (StreamsService streams = Services.startStreams(sp);
                 AlertingService alerting = Services.startAlerting(ap)) {
                CollectorFeed feed = new CollectorFeed(client);
                int n = w.publishOrder.size();
                Future<?>[] steps = new Future<?>[2];
                feed.publish(w.publishOrder, RATE, i -> {
                    if (i == n / 3) {
                        steps[0] = faults.submit(() -> {
                            down[0] = System.nanoTime();
                            broker.shutdown();
                            broker.awaitShutdown();
                        });
                    } else if (i == 2 * n / 3) {
                        steps[1] = faults.submit(() -> {
                            broker.startup();
                            down[1] = System.nanoTime();
                        });
                    }
                });
                w.closers().forEach(feed::offer);
                steps[0].get(60, TimeUnit.SECONDS);
                steps[1].get(60, TimeUnit.SECONDS);
                feed.close();
                System.out.printf("broker %d away for %.1f s; collector produced %d, delivered %d, dropped %d%n",
                        victim, (down[1] - down[0]) / 1e9, feed.produced(), feed.delivered(), feed.dropped());
                assertEquals(n + w.syscallKeys(), feed.produced(), "every event entered the collector");
                assertEquals(0, feed.dropped(), "nothing dropped while a broker was away");
                assertEquals(feed.produced(), feed.delivered(), "every event acknowledged by the cluster");
                assertEquals(3, kafka.admin().describeCluster().nodes().get(30, TimeUnit.SECONDS).size(),
                        "the broker is back");

                Outputs live = Outputs.live(client, expected, Duration.ofSeconds(240), Duration.ofSeconds(2));
                System.out.printf("live: %d windows (%d events), %d trends, %d alerts: %s%n", live.latency().size(),
                        sum(live), live.trends().size(), live.alerts().size(), live.alertSummary());
                assertEquals((long) w.syscalls.size(), sum(live), "each published event counted exactly once");
                assertEquals(expected.latency(), live.latency(), "closed windows as in the backtest");
                assertEquals(w.gomaps.size(), live.trends().size(), "one trend per map snapshot");
                assertEquals(expected.trends(), live.trends(), "trends as in the backtest");
                assertEquals(expected.alertSummary(), live.alertSummary());
                assertEquals(expected.alerts(), live.alerts(), "alerts as in the backtest: none lost or doubled");
            }
        } finally {
            faults.shutdownNow();
        }
    }

    static long sum(Outputs o) {
        return o.windowedEvents();
    }
}
