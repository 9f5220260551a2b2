package io.harbinger.launcher.demo;

import io.harbinger.alerting.AlertingConfig;
import io.harbinger.alerting.AlertingService;
import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.alerting.rule.RuleSet;
import io.harbinger.collector.CollectorConfig;
import io.harbinger.collector.CollectorService;
import io.harbinger.collector.CollectorStats;
import io.harbinger.platform.Platform;
import io.harbinger.platform.PlatformConfig;
import io.harbinger.platform.Ports;
import io.harbinger.platform.replay.RecordingReplayer;
import io.harbinger.platform.replay.ReplayConfig;
import io.harbinger.streams.app.StreamsService;
import io.harbinger.streams.app.StreamsServiceConfig;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.streams.dashboard.Dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Everything the demo runs, started in order and stopped in reverse: the embedded Kafka node and schema registry
 * (own JVMs, state under the demo's directory), the streams processor (query API + dashboard) and the alerting
 * service (demo rules) in this JVM, and the event source — the collector with real eBPF on this host plus the leaky
 * Go service, or, without eBPF, a replay of the bundled recording moved to the present.
 */
final class DemoPipeline implements AutoCloseable {
    private final DemoConfig config;
    private final Consumer<String> progress;
    static final String LOG_FILE = "demo.log";

    /** Newest first: closing stops the source first, so the processors still see its last events. */
    private final List<AutoCloseable> started = new ArrayList<>();
    private Platform platform;
    private StreamsService streams;
    private AlertingService alerting;
    private CollectorService collector;
    private LeakyService leaky;
    private Thread replayThread;
    private final AtomicReference<RecordingReplayer.Result> replayResult = new AtomicReference<>();
    private final AtomicReference<String> replayFailure = new AtomicReference<>();
    private volatile long replayedEvents;
    private Map<String, Object> clientConfig;
    private String host;
    private long leakStartMs;

    private DemoPipeline(DemoConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    /** Starts the pipeline; on failure stops what was started and rethrows. */
    static DemoPipeline start(DemoConfig config, DemoMode mode, Consumer<String> progress) throws Exception {
        DemoPipeline p = new DemoPipeline(config, progress);
        try {
            p.startAll(mode);
            return p;
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    private void startAll(DemoMode mode) throws Exception {
        Path dir = config.stateDir();
        PlatformConfig pc = PlatformConfig.defaults(dir.resolve("platform"));

        CompletableFuture<Path> leakyBinary = mode.live()
                ? CompletableFuture.supplyAsync(() -> {
                    try {
                        return LeakyService.build(config.home(), dir.resolve("leaky"));
                    } catch (IOException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted");
                    }
                })
                : null;

        pc = pc.withPorts(port(PlatformConfig.DEFAULT_BROKER_PORT), port(PlatformConfig.DEFAULT_CONTROLLER_PORT),
                port(PlatformConfig.DEFAULT_REGISTRY_PORT), port(PlatformConfig.DEFAULT_REGISTRY_ADMIN_PORT));
        long t = System.nanoTime();
        platform = new Platform(pc);
        started.add(0, platform::down);
        progress.accept("starting Kafka and the schema registry (own JVMs, 127.0.0.1, state in " + dir + ") ...");
        platform.up(line -> { });
        progress.accept("  Kafka on " + pc.bootstrapServers() + ", registry on " + pc.registryUrl() + " (" + since(t) + ")");
        clientConfig = Map.of("bootstrap.servers", pc.bootstrapServers(), "schema.registry.url", pc.registryUrl());

        int alertingPort = port(DemoSettings.ALERTING_PORT);
        t = System.nanoTime();
        progress.accept("starting the streams processor and the dashboard ...");
        streams = new StreamsService(StreamsServiceConfig.from(streamsProperties(pc, alertingPort), dir.resolve("streams-state")));
        started.add(0, streams);
        streams.start();

        progress.accept("starting the alerting service (rule " + DemoSettings.RULE_NAME + ") ...");
        AlertingConfig ac = AlertingConfig.defaults(demoRules())
                .withKafka(Map.of("bootstrap.servers", pc.bootstrapServers(), "schema.registry.url", pc.registryUrl(),
                        "application.id", "harbinger-demo-alerting",
                        "state.dir", dir.resolve("alerting-state").toString(),
                        "commit.interval.ms", "200"))
                .withHttp("127.0.0.1", alertingPort, null);
        alerting = AlertingService.start(ac);
        started.add(0, alerting);
        awaitRunning(Duration.ofSeconds(90));
        progress.accept("  streams processor and alerting running (" + since(t) + ")");

        if (mode.live()) {
            t = System.nanoTime();
            progress.accept("starting the collector: eBPF probes on every syscall of this host and on Go map growth ...");
            collector = CollectorService.start(collectorConfig(pc));
            started.add(0, collector);
            Path binary = leakyBinary.join();
            leaky = LeakyService.start(binary, dir.resolve("leaky"));
            started.add(0, leaky);
            leakStartMs = leaky.startedAtMs();
            host = hostName();
            progress.accept("  collector attached; leaky Go service started (pid " + leaky.pid() + ", +"
                    + (long) DemoSettings.LEAK_PER_SECOND + " map entries/s) (" + since(t) + ")");
        } else {
            startReplay(pc);
        }
    }

    private Properties streamsProperties(PlatformConfig pc, int alertingPort) {
        Properties p = new Properties();
        p.put("bootstrap.servers", pc.bootstrapServers());
        p.put("schema.registry.url", pc.registryUrl());
        p.put("application.id", "harbinger-demo-streams");
        p.put("num.standby.replicas", "0");
        p.put("commit.interval.ms", "200");
        p.put(ProcessorConfig.WINDOW_MS, String.valueOf(DemoSettings.WINDOW.toMillis()));
        p.put(ProcessorConfig.GRACE_MS, String.valueOf(DemoSettings.GRACE.toMillis()));
        p.put(ProcessorConfig.RETENTION_MS, String.valueOf(Duration.ofMinutes(30).toMillis()));
        p.put(ProcessorConfig.COUNT_THRESHOLD, String.valueOf(DemoSettings.THRESHOLD));
        p.put(ProcessorConfig.FORECAST_TIME_SCALE, String.valueOf(DemoSettings.FORECAST_TIME_SCALE));
        p.put(ProcessorConfig.IN_MEMORY_STORES, "true");
        p.put(StreamsServiceConfig.HTTP_PORT, String.valueOf(port(DemoSettings.STREAMS_PORT)));
        p.put(Dashboard.ALERTING_URL, "http://127.0.0.1:" + alertingPort);
        return p;
    }

    private CollectorConfig collectorConfig(PlatformConfig pc) {
        String yaml = String.join("\n",
                "kafka:",
                "  bootstrap.servers: \"" + pc.bootstrapServers() + "\"",
                "  schema.registry.url: \"" + pc.registryUrl() + "\"",
                "gomaps:",
                "  comms: [" + DemoSettings.LEAKY_COMM + "]",
                "  poll_interval_ms: 500",
                "metrics:",
                "  port: " + port(DemoSettings.COLLECTOR_METRICS_PORT),
                "");
        return CollectorConfig.parse(yaml, "demo collector config");
    }

    private void startReplay(PlatformConfig pc) throws IOException {
        Path recording = config.recording() != null ? config.recording() : extractBundledRecording();
        Path shifted = config.stateDir().resolve("replay.jsonl");
        RecordingShifter.Result r = RecordingShifter.shiftToNow(recording, shifted, System.currentTimeMillis() + 2_000);
        leakStartMs = r.firstEventMs();
        host = r.host();
        progress.accept("replaying " + (config.recording() != null ? recording : "the bundled recording") + " ("
                + r.events() + " events, " + Duration.ofMillis(r.spanMs()).toSeconds()
                + " s, moved to the present) at " + (config.replaySpeed() == 1 ? "real speed" : config.replaySpeed() + "x")
                + " through the same pipeline");
        ReplayConfig rc = new ReplayConfig(shifted, OptionalDouble.of(config.replaySpeed()), Map.of("bootstrap.servers",
                pc.bootstrapServers(), "schema.registry.url", pc.registryUrl()));
        replayThread = new Thread(() -> {
            try {
                replayResult.set(new RecordingReplayer(rc).run());
            } catch (RuntimeException e) {
                replayFailure.set(e.getMessage());
            }
        }, "demo-replay");
        replayThread.setDaemon(true);
        replayThread.start();
        started.add(0, () -> replayThread.interrupt());
    }

    private Path extractBundledRecording() throws IOException {
        Path out = config.stateDir().resolve("recording.jsonl");
        try (InputStream in = DemoPipeline.class.getResourceAsStream(DemoSettings.RECORDING_RESOURCE)) {
            if (in == null) {
                throw new IOException("the bundled recording " + DemoSettings.RECORDING_RESOURCE + " is missing");
            }
            try (InputStream gz = new java.util.zip.GZIPInputStream(in)) {
                Files.copy(gz, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return out;
    }

    static RuleSet demoRules() {
        InputStream in = DemoPipeline.class.getResourceAsStream(DemoSettings.RULES_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("demo rules resource missing: " + DemoSettings.RULES_RESOURCE);
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return RuleFile.parse("demo rules.yaml", r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean s = streams.streams().state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING;
            if (s && alerting.awaitRunning(Duration.ofMillis(100))) {
                return;
            }
            if (alerting.fatal() != null) {
                throw new IllegalStateException("the alerting service stopped: " + alerting.fatal().getMessage());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the streams processor or the alerting service did not reach RUNNING within "
                + timeout.toSeconds() + " s");
    }

    /** {@code preferred} when free, else any free port (a colleague's platform may hold the default). */
    private static int port(int preferred) {
        return Ports.isFree(preferred) ? preferred : Ports.pickFree();
    }

    private static String since(long t0) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /**
     * Stops what a previous demo in {@code dir} may have left running (killed hard, its broker and registry outlive
     * it) and empties the directory.
     */
    static void prepare(Path dir) throws IOException {
        new Platform(PlatformConfig.defaults(dir.resolve("platform"))).down();
        wipe(dir);
        Files.createDirectories(dir);
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir) && !p.equals(dir.resolve(LOG_FILE))) { // the log is appended to, run after run
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // ------------------------------------------------------------------ what the view and summary read

    Map<String, Object> clientConfig() {
        return clientConfig;
    }

    String dashboardUrl() {
        return "http://127.0.0.1:" + streams.httpPort() + "/dashboard/";
    }

    String queryApiUrl() {
        return "http://127.0.0.1:" + streams.httpPort();
    }

    String alertingUrl() {
        return "http://127.0.0.1:" + alerting.httpPort();
    }

    String host() {
        return host;
    }

    long leakStartMs() {
        return leakStartMs;
    }

    boolean live() {
        return collector != null;
    }

    /** Events published by the source so far: syscall events + map snapshots. */
    SourceStats sourceStats() {
        if (collector != null) {
            CollectorStats s = collector.stats();
            return new SourceStats(s.produced() - s.goMapSnapshots(), s.goMapSnapshots(), s.delivered(), s.dropped(),
                    s.kernelDrops() + s.goMapKernelDrops(), null);
        }
        RecordingReplayer.Result r = replayResult.get();
        return r == null ? new SourceStats(0, 0, 0, 0, 0, replayFailure.get())
                : new SourceStats(r.syscallEvents(), r.gomapEvents(), r.events(), 0, 0, replayFailure.get());
    }

    record SourceStats(long syscallEvents, long mapSnapshots, long delivered, long droppedUser, long droppedKernel,
                       String failure) {}

    /** A problem that ends the demo early, or null. */
    String failure() {
        if (alerting != null && alerting.fatal() != null) {
            return "the alerting service stopped: " + alerting.fatal().getMessage();
        }
        if (leaky != null && !leaky.isAlive()) {
            return "the leaky Go service exited (see " + config.stateDir().resolve("leaky/leaky.out") + ")";
        }
        return replayFailure.get() == null ? null : "the replay failed: " + replayFailure.get();
    }

    @Override
    public void close() {
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                progress.accept("  while stopping: " + e.getMessage());
            }
        }
        started.clear();
    }
}
