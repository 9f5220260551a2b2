package io.harbinger.reliability;

import com.sun.net.httpserver.HttpServer;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7, item 6 (Kafka security and secrets): a broker whose only listener is SASL_PLAINTEXT/PLAIN (with an
 * authorizer; anonymous clients get nothing). The collector daemon (real eBPF), the streams processor with its
 * dashboard, and alerting with two HTTP sinks run as the real {@code harbinger} commands, each in its own JVM,
 * configured with the SASL password, registry basic-auth credentials, bearer tokens, a sink token and a PagerDuty
 * routing key; the collector's publishing path also runs in this JVM over SASL. Every client authenticates - the
 * collector's producer, Streams' producers/consumers/admin/restore and global consumers, the silence producer, the
 * sinks' and the dashboard's consumers - shown by what comes out: windows, trends, alerts, webhook deliveries, a
 * silence, the dashboard's maps, the collector's own syscalls on the topic. With a wrong password the collector
 * delivers nothing and counts every event dropped. None of the secrets appears in any process's output, logged at
 * DEBUG for Harbinger and INFO for Kafka's clients (which print their whole configuration).
 */
class SaslAndSecretsIT {
    static final String SASL_PASSWORD = EmbeddedKafkaCluster.SASL_ADMIN_PASSWORD;
    static final String REGISTRY_PASSWORD = "registry-pass-8842";
    static final String QUERY_TOKEN = "query-token-5531";
    static final String ALERTING_TOKEN = "alerting-token-5532";
    static final String SINK_TOKEN = "sink-token-5533";
    static final String ROUTING_KEY = "routing-key-5534";
    static final String METRICS_TOKEN = "metrics-token-5535";
    /** A copy of cat under a name no other process on the host has: the daemon watches only it. */
    static final String WATCHED_COMM = "hbsaslcat";
    static final List<String> SECRETS = List.of(SASL_PASSWORD, REGISTRY_PASSWORD, QUERY_TOKEN, ALERTING_TOKEN,
            SINK_TOKEN, ROUTING_KEY, METRICS_TOKEN);

    @Test
    void everyClientAuthenticatesAndNoSecretIsPrinted(@TempDir Path dir) throws Exception {
        ConcurrentLinkedQueue<String> hooks = new ConcurrentLinkedQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        receiver.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            hooks.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization") + " " + body);
            byte[] ok = "{\"status\":\"success\"}".getBytes();
            ex.sendResponseHeaders(202, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        receiver.start();
        String receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Path logback = Files.writeString(dir.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="io.harbinger" level="DEBUG"/>
                  <logger name="org.apache.kafka" level="INFO"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        List<String> jvm = List.of("-Dlogback.configurationFile=" + logback);

        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(
                EmbeddedKafkaCluster.Options.single().withSaslPlaintext())) {
            Services.createAuditableTopics(kafka);
            Map<String, Object> client = new HashMap<>(kafka.clientConfig()); // SASL as plain-admin
            client.put("schema.registry.url", TestSchemaRegistry.shared().url());
            client.put("basic.auth.credentials.source", "USER_INFO");
            client.put("basic.auth.user.info", "registry-user:" + REGISTRY_PASSWORD);

            Properties sp = Services.streamsProperties(client, "sasl-streams", dir.resolve("streams-state"));
            sp.remove("harbinger.dashboard.enabled");
            sp.setProperty("harbinger.http.token", QUERY_TOKEN);
            int streamsPort = Http.freePort();
            Path rules = Files.writeString(dir.resolve("rules.yaml"), Workload.RULES);
            Properties ap = Services.alertingProperties(client, "sasl-alerting", dir.resolve("alerting-state"), rules);
            int alertingPort = Http.freePort();
            ap.setProperty("alerting.http.port", Integer.toString(alertingPort));
            ap.setProperty("alerting.http.token", ALERTING_TOKEN);
            ap.setProperty("alerting.sinks", "hook,pd");
            ap.setProperty("alerting.sinks.start", "earliest");
            ap.setProperty("alerting.sink.hook.type", "webhook");
            ap.setProperty("alerting.sink.hook.url", receiverUrl + "/hook");
            ap.setProperty("alerting.sink.hook.token", SINK_TOKEN);
            ap.setProperty("alerting.sink.pd.type", "pagerduty");
            ap.setProperty("alerting.sink.pd.url", receiverUrl + "/pd");
            ap.setProperty("alerting.sink.pd.routing.key", ROUTING_KEY);
            sp.setProperty("harbinger.dashboard.alerting.url", "http://127.0.0.1:" + alertingPort);
            sp.setProperty("harbinger.dashboard.alerting.token", ALERTING_TOKEN);
            int metricsPort = Http.freePort();
            Path collectorYaml = Files.writeString(dir.resolve("collector.yaml"), collectorYaml(client, metricsPort));

            List<ChildJvm> children = new ArrayList<>();
            try {
                ChildJvm streams = ChildJvm.harbinger(dir.resolve("streams.log"), Map.of(), jvm, "streams", "--config",
                        Services.write(sp, dir.resolve("streams.properties")).toString(), "--state-dir",
                        sp.getProperty("state.dir"), "--http-port", Integer.toString(streamsPort));
                children.add(streams);
                ChildJvm alerting = ChildJvm.harbinger(dir.resolve("alerting.log"), Map.of(), jvm, "alerting",
                        "--config", Services.write(ap, dir.resolve("alerting.properties")).toString());
                children.add(alerting);
                ChildJvm collector = ChildJvm.harbinger(dir.resolve("collector.log"), Map.of(), jvm, "collector",
                        "--config", collectorYaml.toString());
                children.add(collector);
                String streamsUrl = "http://127.0.0.1:" + streamsPort;
                String alertingUrl = "http://127.0.0.1:" + alertingPort;
                String metricsUrl = "http://127.0.0.1:" + metricsPort;
                CrashIT.awaitHealthy(streamsUrl, streams);
                CrashIT.awaitHealthy(alertingUrl, alerting);
                CrashIT.awaitHealthy(metricsUrl, collector);
                assertEquals(401, Http.get(metricsUrl + "/metrics").status(), "the daemon's metrics need the token");

                // the collector's publishing path in this JVM, over SASL: the workload with its alerts
                Workload w = new Workload();
                try (CollectorFeed feed = new CollectorFeed(client)) {
                    feed.publish(w.publishOrder, 20_000, i -> { });
                    w.closers().forEach(feed::offer);
                    feed.close();
                    assertEquals(0, feed.dropped());
                    assertEquals(feed.produced(), feed.delivered(), "every event acknowledged over SASL");
                }

                Outputs expected = Outputs.backtest(w, dir.resolve("backtest"), rules, Duration.ofSeconds(5));
                Outputs live = Outputs.live(client, expected, Duration.ofSeconds(180), Duration.ofSeconds(2));
                assertEquals(expected, live, "windows, trends and alerts over SASL as in the backtest");
                System.out.printf("over SASL: %d windows, %d trends, %d alerts%n", live.latency().size(),
                        live.trends().size(), live.alerts().size());

                // sinks (own consumer groups) delivered every alert, with their credentials
                long deadline = System.nanoTime() + Services.WAIT.toNanos();
                while (hooks.size() < 2 * live.alerts().size() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(live.alerts().size(), hooks.stream().filter(h -> h.startsWith("/hook Bearer " + SINK_TOKEN)).count());
                assertEquals(live.alerts().size(), hooks.stream().filter(h -> h.startsWith("/pd ")
                        && h.contains("\"routing_key\":\"" + ROUTING_KEY + "\"")).count());
                // a silence goes through the silence producer and comes back through the global consumer
                HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(alertingUrl + "/v1/silences"))
                        .header("Authorization", "Bearer " + ALERTING_TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"matchers\":{\"host\":\"nobody\"},\"duration\":\"1h\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, created.statusCode(), created.body());
                // the dashboard's own consumer read the trends; its alerts proxy carries alerting's token
                Http.Response maps = Http.get(streamsUrl + "/dashboard/api/maps", QUERY_TOKEN);
                assertEquals(200, maps.status());
                assertTrue(maps.body().contains("\"" + Workload.HOST + "\""), maps.body());
                Http.Response proxied = Http.get(streamsUrl + "/dashboard/api/alerts", QUERY_TOKEN);
                assertEquals(200, proxied.status(), proxied.body());
                // the daemon publishes the syscalls of a process it watches (after the comparison above: their
                // current timestamps move stream time months past the workload's, closing its last open windows)
                Path watched = Files.copy(Path.of("/bin/cat"), dir.resolve(WATCHED_COMM));
                watched.toFile().setExecutable(true);
                for (int i = 0; i < 20; i++) {
                    assertEquals(0, new ProcessBuilder(watched.toString(), "/proc/self/stat").redirectOutput(
                            ProcessBuilder.Redirect.DISCARD).start().waitFor());
                }
                long cats = Outputs.read(client, TopicSpecs.SYSCALL_EVENTS,
                        (SyscallEvent e) -> io.harbinger.streams.json.JsonViews.JSON.createObjectNode()
                                .put("comm", e.getComm()), 1_000_000, Duration.ofSeconds(10), Duration.ZERO)
                        .stream().filter(l -> l.contains("\"" + WATCHED_COMM + "\"")).count();
                String metrics = Http.get(metricsUrl + "/metrics", METRICS_TOKEN).body();
                System.out.printf("collector daemon: %d syscalls of %s on %s; %s%n", cats, WATCHED_COMM, Topics.SYSCALL_EVENTS,
                        metrics.lines().filter(l -> l.startsWith("harbinger_collector_events_published_total")
                                || l.startsWith("harbinger_collector_userspace_drops_total")).toList());
                assertTrue(cats >= 20 * 10, "the daemon's events arrived: " + cats);
                assertTrue(metrics.contains("harbinger_collector_userspace_drops_total 0.0"), metrics);

                for (ChildJvm c : children) {
                    assertEquals(0, c.terminate(60), "orderly exit on SIGTERM; log:\n" + c.logText());
                }
            } finally {
                for (ChildJvm c : children) {
                    c.close();
                }
            }
            for (ChildJvm c : children) {
                String log = c.logText();
                System.out.printf("%s: %d lines, %d bytes%n", c.log.getFileName(), log.lines().count(), log.length());
                assertTrue(log.contains("sasl.jaas.config = [hidden]"), c.log.getFileName()
                        + ": Kafka printed its client config (so the check below means something)");
                for (String secret : SECRETS) {
                    assertFalse(log.contains(secret), c.log.getFileName() + " contains the secret '" + secret + "'");
                }
            }
        } finally {
            receiver.stop(0);
        }
        wrongPasswordIsRefusedAndCounted();
    }

    /** The collector's publishing path with a wrong password: nothing delivered, every event counted dropped. */
    void wrongPasswordIsRefusedAndCounted() {
        // runs on its own small SASL cluster, so a refused client cannot disturb the test above
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(
                EmbeddedKafkaCluster.Options.single().withSaslPlaintext())) {
            Map<String, Object> client = new HashMap<>(kafka.saslClientConfig(EmbeddedKafkaCluster.SASL_ADMIN, "wrong"));
            client.put("schema.registry.url", TestSchemaRegistry.shared().url());
            Workload w = new Workload();
            CollectorFeed feed = new CollectorFeed(client);
            feed.publish(w.publishOrder.subList(0, 5_000), 5_000, i -> { });
            feed.close();
            System.out.printf("wrong password: produced %d, delivered %d, dropped %d%n", feed.produced(),
                    feed.delivered(), feed.dropped());
            assertEquals(5_000, feed.produced());
            assertEquals(0, feed.delivered());
            assertEquals(feed.produced(), feed.dropped(), "delivered + dropped = produced");
        }
    }

    static String collectorYaml(Map<String, Object> client, int metricsPort) {
        StringBuilder kafka = new StringBuilder();
        client.forEach((k, v) -> kafka.append("  ").append(k).append(": '").append(v.toString().replace("'", "''"))
                .append("'\n"));
        return "host: sasl-collector\n"
                + "kafka:\n" + kafka
                + "syscalls:\n  comms: [" + WATCHED_COMM + "]\n"
                + "gomaps:\n  enabled: false\n"
                + "metrics:\n  port: " + metricsPort + "\n  token: " + METRICS_TOKEN + "\n";
    }
}
