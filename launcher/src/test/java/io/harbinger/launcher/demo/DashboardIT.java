package io.harbinger.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harbinger.alerting.AlertingConfig;
import io.harbinger.alerting.AlertingService;
import io.harbinger.jsonl.JsonlReader;
import io.harbinger.jsonl.JsonlWriter;
import io.harbinger.platform.replay.RecordingReplayer;
import io.harbinger.platform.replay.ReplayConfig;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.streams.app.StreamsService;
import io.harbinger.streams.app.StreamsServiceConfig;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.streams.dashboard.Dashboard;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard end to end: a real broker and registry, the streams processor and the alerting service with the demo
 * rule, fed the bundled recording of the demo (real eBPF events of the leaky Go service) up to 115 s after the leak
 * started — warned, not yet crossed. Debian's headless Chromium then loads the page the processor serves and the test
 * checks that every chart drew real data: heatmap cells, P99 lines, the map's history with its forecast line and
 * threshold, and the active alert. The screenshot is kept in target/dashboard/dashboard.png (docs/dashboard.png is a
 * copy).
 */
class DashboardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CUT_AFTER_MS = 115_000;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void chartsRenderRealDataInHeadlessChromium() throws Exception {
        assertTrue(Files.isExecutable(HeadlessChromium.BINARY), "Debian's chromium is required (./harbinger test installs it)");
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.shared();
        TestSchemaRegistry registry = TestSchemaRegistry.shared();
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url());

        AlertingConfig ac = AlertingConfig.defaults(DemoPipeline.demoRules())
                .withKafka(Map.of("bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(),
                        "application.id", "dashboard-it-alerting-" + id, "state.dir", tmp.resolve("alerting").toString(),
                        "commit.interval.ms", "200"))
                .withHttp("127.0.0.1", 0, null);
        Properties sp = new Properties();
        sp.putAll(client);
        sp.put("application.id", "dashboard-it-streams-" + id);
        sp.put("num.standby.replicas", "0");
        sp.put("commit.interval.ms", "200");
        sp.put(ProcessorConfig.WINDOW_MS, String.valueOf(DemoSettings.WINDOW.toMillis()));
        sp.put(ProcessorConfig.GRACE_MS, String.valueOf(DemoSettings.GRACE.toMillis()));
        sp.put(ProcessorConfig.COUNT_THRESHOLD, String.valueOf(DemoSettings.THRESHOLD));
        sp.put(ProcessorConfig.FORECAST_TIME_SCALE, String.valueOf(DemoSettings.FORECAST_TIME_SCALE));
        sp.put(ProcessorConfig.IN_MEMORY_STORES, "true");
        sp.put(StreamsServiceConfig.HTTP_PORT, "0");

        try (AlertingService alerting = AlertingService.start(ac)) {
            sp.put(Dashboard.ALERTING_URL, "http://127.0.0.1:" + alerting.httpPort());
            try (StreamsService streams = new StreamsService(StreamsServiceConfig.from(sp, tmp.resolve("streams")))) {
                streams.start();
                String base = "http://127.0.0.1:" + streams.httpPort();

                Path recording = firstSecondsOfBundledRecording(tmp.resolve("recording.jsonl"), CUT_AFTER_MS);
                Path shifted = tmp.resolve("shifted.jsonl");
                RecordingShifter.shiftToNow(recording, shifted, System.currentTimeMillis() - CUT_AFTER_MS);
                RecordingReplayer.Result replayed = new RecordingReplayer(new ReplayConfig(shifted, OptionalDouble.empty(),
                        client)).run();
                assertTrue(replayed.gomapEvents() > 100 && replayed.syscallEvents() > 1000, "replayed " + replayed);

                // the pipeline has answers: closed windows, the map with a forecast, the WARNING
                await(base + "/v1/latency/top?n=5", n -> n.size() > 0);
                JsonNode maps = await(base + "/dashboard/api/maps", n -> n.size() > 0 && n.get(0).path("history").size() > 50
                        && n.get(0).has("eta_ms"));
                JsonNode alerts = await(base + "/dashboard/api/alerts?state=active", n -> n.size() > 0);
                assertEquals(DemoSettings.RULE_NAME, alerts.get(0).path("rule").asText());
                assertEquals("leaky", maps.get(0).path("comm").asText());

                long t0 = System.nanoTime();
                try (HeadlessChromium chromium = HeadlessChromium.launch(1320, 1200)) {
                    chromium.navigate(base + "/dashboard/");
                    JsonNode drawn = null;
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (System.nanoTime() < deadline) {
                        drawn = chromium.evaluate("JSON.parse(JSON.stringify(window.harbinger || {}))");
                        if (drawn.path("heatmapCells").asInt() > 0 && drawn.path("p99Lines").asInt() > 0
                                && drawn.path("mapPoints").asInt() > 0 && drawn.path("alerts").asInt() > 0) {
                            break;
                        }
                        Thread.sleep(250);
                    }
                    Thread.sleep(500); // fonts and the last paint
                    byte[] png = chromium.screenshot();
                    Path out = Path.of("target", "dashboard");
                    Files.createDirectories(out);
                    Files.write(out.resolve("dashboard.png"), png);
                    System.out.println("DashboardIT: page drawn " + drawn + " in " + HeadlessChromium.since(t0).toMillis()
                            + " ms; screenshot " + out.resolve("dashboard.png").toAbsolutePath() + " (" + png.length + " bytes)");

                    assertTrue(drawn.path("errors").isEmpty(), "page errors: " + drawn.path("errors"));
                    assertTrue(drawn.path("heatmapCells").asInt() >= 5, "heatmap cells: " + drawn);
                    assertTrue(drawn.path("heatmapRows").asInt() >= 2, "heatmap rows: " + drawn);
                    assertTrue(drawn.path("p99Lines").asInt() >= 2 && drawn.path("p99Points").asInt() >= 6, "P99 lines: " + drawn);
                    assertTrue(drawn.path("mapCharts").asInt() >= 1 && drawn.path("mapPoints").asInt() > 50, "map chart: " + drawn);
                    assertTrue(drawn.path("forecastLines").asInt() >= 1, "forecast line: " + drawn);
                    assertTrue(drawn.path("thresholdLines").asInt() >= 1, "threshold line: " + drawn);
                    assertTrue(drawn.path("alerts").asInt() >= 1, "alerts: " + drawn);
                    // the SVG itself: a credible forecast drawn, a threshold at the demo's value, the alert's row
                    JsonNode dom = chromium.evaluate("({credible: document.querySelectorAll('path.forecast[data-credible=\"true\"]').length,"
                            + " threshold: Number((document.querySelector('line.threshold') || {getAttribute: () => 0}).getAttribute('data-threshold')),"
                            + " historyLength: (document.querySelector('path.map-history') || {getAttribute: () => ''}).getAttribute('d').length,"
                            + " alertText: (document.querySelector('#alerts tbody tr') || {textContent: ''}).textContent})");
                    assertEquals(1, dom.path("credible").asInt(), "credible forecast line: " + dom);
                    assertEquals(DemoSettings.THRESHOLD, dom.path("threshold").asLong(), "threshold line: " + dom);
                    assertTrue(dom.path("historyLength").asInt() > 500, "history path: " + dom);
                    assertTrue(dom.path("alertText").asText().contains("WARNING"), "alert row: " + dom);
                    assertTrue(png.length > 30_000, "screenshot of " + png.length + " bytes");
                }
            }
        }
    }

    /** The bundled recording (gzip in the launcher jar), events up to {@code cutMs} after its first. */
    private static Path firstSecondsOfBundledRecording(Path out, long cutMs) throws IOException {
        Path full = out.resolveSibling("full.jsonl");
        try (InputStream in = DashboardIT.class.getResourceAsStream(DemoSettings.RECORDING_RESOURCE)) {
            assertTrue(in != null, "bundled recording missing");
            try (InputStream gz = new GZIPInputStream(in)) {
                Files.copy(gz, full);
            }
        }
        long first = Long.MAX_VALUE;
        try (JsonlReader r = JsonlReader.open(full)) {
            while (r.hasNext()) {
                first = Math.min(first, ts(r.next()));
            }
        }
        try (JsonlReader r = JsonlReader.open(full); JsonlWriter w = JsonlWriter.create(out)) {
            while (r.hasNext()) {
                SpecificRecord e = r.next();
                if (ts(e) - first <= cutMs * 1_000_000L) {
                    w.write(e);
                }
            }
        }
        return out;
    }

    private static long ts(SpecificRecord e) {
        return e instanceof SyscallEvent s ? s.getTsNs() : ((GoMapEvent) e).getTsNs();
    }

    private JsonNode await(String url, Predicate<JsonNode> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode last = null;
        String status = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            status = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                if (ok.test(last)) {
                    return last;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no expected answer from " + url + " within 120 s; last: " + (status.length() > 400
                ? status.substring(0, 400) : status));
    }
}
