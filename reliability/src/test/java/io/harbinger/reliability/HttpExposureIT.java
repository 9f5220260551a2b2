package io.harbinger.reliability;

import io.harbinger.alerting.AlertingConfig;
import io.harbinger.alerting.AlertingService;
import io.harbinger.collector.CollectorConfig;
import io.harbinger.collector.metrics.MetricsServer;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.streams.app.StreamsService;
import io.harbinger.streams.app.StreamsServiceConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7, item 6 (HTTP): every HTTP endpoint - the streams processor's query API and the dashboard mounted on it,
 * the alerting REST API, the collector's metrics - listens on 127.0.0.1 with the default configuration (the kernel's
 * socket table says so, and 127.0.0.2 is refused), on every address only when configured so, and with a bearer
 * token set answers 401 without it (or with a wrong one) on every endpoint but /healthz.
 */
class HttpExposureIT {
    static final String QUERY_TOKEN = "query-token-4711";
    static final String ALERTING_TOKEN = "alerting-token-4712";
    static final String METRICS_TOKEN = "metrics-token-4713";

    static EmbeddedKafkaCluster kafka;
    static Map<String, Object> client;
    @TempDir
    static Path dir;

    @BeforeAll
    static void cluster() {
        kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.single());
        kafka.createHarbingerTopics();
        client = new HashMap<>(kafka.clientConfig());
        client.put("schema.registry.url", TestSchemaRegistry.shared().url());
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void streamsQueryApiAndDashboardListenOnLoopbackAndNeedTheToken() throws Exception {
        Properties p = Services.streamsProperties(client, "exposure-streams", dir.resolve("s1"));
        p.remove("harbinger.dashboard.enabled"); // the default: mounted
        p.setProperty("harbinger.http.token", QUERY_TOKEN);
        StreamsServiceConfig config = StreamsServiceConfig.from(p, dir.resolve("s1"));
        assertEquals(ListeningSockets.LOOPBACK, config.httpBind(), "default bind");
        try (StreamsService s = Services.startStreams(p)) {
            int port = s.httpPort();
            assertOnlyLoopback(port);
            String base = "http://127.0.0.1:" + port;
            assertEquals(200, Http.get(base + "/healthz").status());
            for (String path : List.of("/v1/latency/top", "/v1/maps", "/v1/latency?host=h&comm=c&syscall=read",
                    "/v1/latency/rollup?syscall=read", "/v1/maps/h/1/2", "/metrics", "/dashboard/api/maps",
                    "/dashboard/api/alerts")) {
                assertTokenRequired(base + path, QUERY_TOKEN);
            }
        }
        p.setProperty("harbinger.http.bind", ListeningSockets.ANY);
        p.setProperty("state.dir", dir.resolve("s2").toString());
        p.setProperty("application.id", "exposure-streams-any");
        try (StreamsService s = Services.startStreams(p)) {
            assertEquals(Set.of(ListeningSockets.ANY), ListeningSockets.of(s.httpPort()));
            assertTrue(ListeningSockets.reachableOnOtherLoopbackAddress(s.httpPort()), "bound to every address");
        }
    }

    @Test
    void alertingApiListensOnLoopbackAndNeedsTheToken() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), Workload.RULES);
        Properties p = Services.alertingProperties(client, "exposure-alerting", dir.resolve("a1"), rules);
        p.setProperty("alerting.http.token", ALERTING_TOKEN);
        Path file = Services.write(p, dir.resolve("alerting.properties"));
        assertEquals(ListeningSockets.LOOPBACK, AlertingConfig.load(file, null).httpHost(), "default host");
        try (AlertingService a = Services.startAlerting(file)) {
            int port = a.httpPort();
            assertOnlyLoopback(port);
            String base = "http://127.0.0.1:" + port;
            assertEquals(200, Http.get(base + "/healthz").status());
            for (String path : List.of("/v1/alerts?state=active", "/v1/alerts?state=all", "/v1/silences", "/metrics")) {
                assertTokenRequired(base + path, ALERTING_TOKEN);
            }
        }
        p.setProperty("alerting.http.host", ListeningSockets.ANY);
        p.setProperty("state.dir", dir.resolve("a2").toString());
        p.setProperty("application.id", "exposure-alerting-any");
        try (AlertingService a = Services.startAlerting(Services.write(p, dir.resolve("alerting-any.properties")))) {
            assertEquals(Set.of(ListeningSockets.ANY), ListeningSockets.of(a.httpPort()));
            assertTrue(ListeningSockets.reachableOnOtherLoopbackAddress(a.httpPort()), "bound to every address");
        }
    }

    @Test
    void collectorMetricsListenOnLoopbackAndNeedTheToken() throws Exception {
        assertEquals(ListeningSockets.LOOPBACK, CollectorConfig.defaults().metricsBind(), "default bind");
        assertEquals(null, CollectorConfig.defaults().metricsToken(), "no token by default");
        int port = Http.freePort();
        // the config the daemon reads, and the server exactly as CollectorService builds it from that config
        CollectorConfig c = CollectorConfig.parse("metrics:\n  port: " + port + "\n  token: " + METRICS_TOKEN + "\n",
                "collector.yaml");
        try (MetricsServer m = new MetricsServer(c.metricsBind(), c.metricsPort(), c.metricsToken(),
                new PrometheusRegistry())) {
            assertOnlyLoopback(m.port());
            String base = "http://127.0.0.1:" + m.port();
            assertEquals(200, Http.get(base + "/healthz").status());
            assertTokenRequired(base + "/metrics", METRICS_TOKEN);
            assertFalse(c.toString().contains(METRICS_TOKEN), "the token is not in the printed config: " + c);
        }
        CollectorConfig any = CollectorConfig.parse("metrics:\n  bind: 0.0.0.0\n  port: " + port + "\n", "collector.yaml");
        try (MetricsServer m = new MetricsServer(any.metricsBind(), any.metricsPort(), any.metricsToken(),
                new PrometheusRegistry())) {
            assertEquals(Set.of(ListeningSockets.ANY), ListeningSockets.of(m.port()));
            assertTrue(ListeningSockets.reachableOnOtherLoopbackAddress(m.port()), "bound to every address");
            assertEquals(200, Http.get("http://127.0.0.1:" + m.port() + "/metrics").status(), "no token: open");
        }
    }

    static void assertOnlyLoopback(int port) throws Exception {
        assertEquals(Set.of(ListeningSockets.LOOPBACK), ListeningSockets.of(port), "port " + port + " listens on");
        assertFalse(ListeningSockets.reachableOnOtherLoopbackAddress(port), "127.0.0.2:" + port + " is refused");
    }

    static void assertTokenRequired(String url, String token) throws Exception {
        assertEquals(401, Http.get(url).status(), url + " without a token");
        assertEquals(401, Http.get(url, token + "x").status(), url + " with a wrong token");
        assertEquals(401, Http.get(url, "").status(), url + " with an empty token");
        int ok = Http.get(url, token).status();
        assertNotEquals(401, ok, url + " with the token");
        assertTrue(ok < 500 || ok == 502 || ok == 503, url + " with the token answered " + ok);
    }
}
