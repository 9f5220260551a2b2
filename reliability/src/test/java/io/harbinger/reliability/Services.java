package io.harbinger.reliability;

import io.harbinger.alerting.AlertingConfig;
import io.harbinger.alerting.AlertingService;
import io.harbinger.streams.app.StreamsService;
import io.harbinger.streams.app.StreamsServiceConfig;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The services under test, configured as a user would: properties files read by the same code the launcher runs
 * ({@link StreamsServiceConfig#from}, {@link AlertingConfig#load}).
 */
final class Services {
    static final Duration WAIT = Duration.ofSeconds(120);

    private Services() {}

    /** Streams processor settings: the client config plus a fresh application id and state directory. */
    static Properties streamsProperties(Map<String, Object> client, String appId, Path stateDir) {
        Properties p = new Properties();
        client.forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("application.id", appId);
        p.setProperty("state.dir", stateDir.toString());
        p.setProperty("harbinger.http.port", "0");
        p.setProperty("harbinger.dashboard.enabled", "false");
        p.setProperty("num.standby.replicas", "0");
        return p;
    }

    /** Alerting settings: the client config plus a fresh application id and state directory, REST on any port. */
    static Properties alertingProperties(Map<String, Object> client, String appId, Path stateDir, Path rules) {
        Properties p = new Properties();
        client.forEach((k, v) -> p.setProperty(k, v.toString()));
        p.setProperty("application.id", appId);
        p.setProperty("state.dir", stateDir.toString());
        p.setProperty("alerting.http.port", "0");
        p.setProperty("alerting.rules", rules.toString());
        return p;
    }

    /**
     * The contract's topics, except that harbinger.gomap.trends is not compacted: these tests audit every trend
     * record ever written, and compaction (which keeps the latest trend per map, by design) would remove older ones
     * - quickly, as the records carry event times months old and the broker rolls such segments at once.
     */
    static void createAuditableTopics(io.harbinger.platform.testing.EmbeddedKafkaCluster kafka) {
        kafka.createTopic(io.harbinger.topics.Topics.GOMAP_TRENDS, 3);
        kafka.createHarbingerTopics();
    }

    static Path write(Properties p, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    static StreamsService startStreams(Properties p) throws Exception {
        StreamsService s = new StreamsService(StreamsServiceConfig.from(p, Path.of(p.getProperty("state.dir"))));
        s.start();
        awaitRunning(s.streams(), "streams processor");
        return s;
    }

    static AlertingService startAlerting(Path configFile) throws Exception {
        AlertingService a = AlertingService.start(AlertingConfig.load(configFile, null));
        if (!a.awaitRunning(WAIT)) {
            a.close();
            throw new AssertionError("alerting did not reach RUNNING: " + a.fatal());
        }
        return a;
    }

    static void awaitRunning(org.apache.kafka.streams.KafkaStreams streams, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (streams.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()
                    && streams.state() != org.apache.kafka.streams.KafkaStreams.State.CREATED) {
                throw new AssertionError(what + " is " + streams.state());
            }
            Thread.sleep(50);
        }
    }
}
