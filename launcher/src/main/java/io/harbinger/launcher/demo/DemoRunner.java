package io.harbinger.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harbinger.collector.bpf.BpfException;
import io.harbinger.collector.bpf.Preflight;
import io.harbinger.schema.Alert;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code harbinger demo}: chooses the event source (eBPF on this host, or the bundled recording and why), starts the
 * {@link DemoPipeline}, shows it live until Ctrl-C or {@code --for} runs out, then prints the summary and stops
 * everything it started. Library logging goes to {@code <state>/demo.log} so it does not tear the screen.
 */
public final class DemoRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DemoConfig config;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile boolean stopRequested;
    private final CountDownLatch done = new CountDownLatch(1);

    public DemoRunner(DemoConfig config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    /** Where the events will come from, and why not from eBPF when they cannot. */
    static DemoMode chooseMode(DemoConfig config) {
        if (config.forceReplay()) {
            return DemoMode.replay("--replay given");
        }
        try {
            Preflight.check();
        } catch (BpfException e) {
            return DemoMode.replay(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return DemoMode.replay("eBPF unavailable: " + e.getMessage());
        }
        String noGo = LeakyService.unavailableReason(config.home());
        return noGo == null ? DemoMode.liveMode() : DemoMode.replay(noGo);
    }

    /** Runs the demo; returns the exit code (with --for: 0 only when the leak was warned about before it crossed). */
    public int run() throws Exception {
        DemoMode mode = chooseMode(config);
        if (!mode.live()) {
            err.println("harbinger demo: " + mode.fallbackReason() + ": replaying the bundled recording through the "
                    + "same pipeline instead");
        }
        DemoPipeline.prepare(config.stateDir());
        PrintStream log = new PrintStream(new FileOutputStream(config.stateDir().resolve(DemoPipeline.LOG_FILE).toFile(),
                true), true);
        log.println("=== " + java.time.Instant.now() + " harbinger demo starting (" + (mode.live() ? "live" : "replay") + ")");
        PrintStream originalErr = System.err;
        System.setErr(log); // library logging (logback's console appender writes to System.err) goes to the log
        Thread hook = new Thread(() -> {
            stopRequested = true;
            try {
                done.await(90, TimeUnit.SECONDS); // let run() stop everything and print the summary
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "harbinger-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        java.util.function.Consumer<String> progress = line -> err.println("harbinger demo: " + line);
        DemoPipeline started;
        try {
            started = DemoPipeline.start(config, mode, progress);
        } catch (BpfException e) {
            // the preflight passed but the probes would not load or attach here: still show the pipeline
            mode = DemoMode.replay(e.getMessage());
            err.println("harbinger demo: " + e.getMessage() + ": replaying the bundled recording through the same "
                    + "pipeline instead");
            DemoPipeline.prepare(config.stateDir());
            started = DemoPipeline.start(config, mode, progress);
        }
        try (DemoPipeline pipeline = started) {
            return show(pipeline, mode);
        } finally {
            System.setErr(originalErr);
            log.close();
            err.println("harbinger demo: stopped everything it started (logs in " + config.stateDir() + ")");
            done.countDown();
            if (!stopRequested) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down already
                }
            }
        }
    }

    private int show(DemoPipeline pipeline, DemoMode mode) throws InterruptedException {
        DemoTimeline timeline = new DemoTimeline(DemoSettings.LEAKY_COMM, DemoSettings.RULE_NAME, DemoSettings.THRESHOLD);
        String modeText = mode.live() ? "live (eBPF)" : "replay of a recording (" + mode.fallbackReason() + ")";
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        long liveAt = System.currentTimeMillis();
        long deadline = config.runFor() == null ? Long.MAX_VALUE : liveAt + config.runFor().toMillis();
        err.println("harbinger demo: live. Dashboard: " + pipeline.dashboardUrl()
                + (config.runFor() == null ? " · Ctrl-C stops" : " · running for " + config.runFor().toSeconds() + " s"));
        String failure = null;
        try (DemoObserver observer = new DemoObserver(pipeline.clientConfig(), timeline)) {
            long nextStatus = 0;
            int alertsPrinted = 0;
            while (!stopRequested && System.currentTimeMillis() < deadline) {
                TerminalView.Frame f = frame(pipeline, timeline, modeText);
                if (terminal) {
                    StringBuilder sb = new StringBuilder("\033[H\033[2J");
                    TerminalView.render(f).forEach(l -> sb.append(l).append('\n'));
                    out.print(sb);
                    out.flush();
                } else {
                    List<Alert> alerts = f.alerts();
                    for (; alertsPrinted < alerts.size(); alertsPrinted++) {
                        out.println("ALERT " + TerminalView.alertLine(alerts.get(alertsPrinted), f.leakStartMs()));
                    }
                    if (System.currentTimeMillis() >= nextStatus) {
                        out.println(TerminalView.statusLine(f));
                        nextStatus = System.currentTimeMillis() + 10_000;
                    }
                }
                failure = pipeline.failure();
                if (failure != null) {
                    break;
                }
                sleepUntil(Math.min(deadline, System.currentTimeMillis() + DemoSettings.REFRESH.toMillis()));
            }
            Thread.sleep(1_000); // the last alerts in flight
            List<String> summary = summary(pipeline, timeline, modeText, System.currentTimeMillis() - liveAt);
            summary.forEach(out::println);
            out.flush();
            if (failure != null) {
                err.println("harbinger demo: stopped early: " + failure);
                return 1;
            }
            return timeline.verdict().passed() ? 0 : 1;
        }
    }

    private void sleepUntil(long t) throws InterruptedException {
        while (!stopRequested && System.currentTimeMillis() < t) {
            Thread.sleep(Math.min(100, Math.max(1, t - System.currentTimeMillis())));
        }
    }

    private TerminalView.Frame frame(DemoPipeline p, DemoTimeline t, String modeText) {
        Optional<Map.Entry<MapKey, MapTrend>> leaky = t.leakyMap();
        long now = Math.max(System.currentTimeMillis(), t.latestEventMs()); // a fast replay runs ahead of the clock
        return new TerminalView.Frame(modeText, p.host(), now, p.leakStartMs(),
                p.dashboardUrl(), p.sourceStats(), t.latencyWindows(), t.mapCount(),
                getJson(p.queryApiUrl() + "/v1/latency/top?n=8"), leaky,
                leaky.flatMap(e -> t.crossedAt(e.getKey())), t.alerts(), DemoSettings.THRESHOLD);
    }

    private JsonNode getJson(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static List<String> summary(DemoPipeline p, DemoTimeline t, String modeText, long ranMs) {
        List<String> out = new ArrayList<>();
        DemoPipeline.SourceStats s = p.sourceStats();
        long t0 = p.leakStartMs();
        out.add("");
        out.add(String.format(Locale.ROOT, "Summary after %.0f s, %s, host %s (times are relative to the leak's start, t+0s = %s)",
                ranMs / 1000.0, modeText, p.host(), TerminalView.clock(t0)));
        out.add(String.format(Locale.ROOT, "  events     %,d syscall events and %,d Go map snapshots published (%s)",
                s.syscallEvents(), s.mapSnapshots(), s.droppedUser() + s.droppedKernel() == 0 ? "none dropped"
                        : String.format(Locale.ROOT, "%,d dropped", s.droppedUser() + s.droppedKernel())));
        out.add(String.format(Locale.ROOT, "  windows    %,d latency windows closed (%d s tumbling windows per host, process and syscall)",
                t.latencyWindows(), DemoSettings.WINDOW.toSeconds()));
        Optional<Map.Entry<MapKey, MapTrend>> leaky = t.leakyMap();
        out.add(String.format(Locale.ROOT, "  maps       %d Go map%s tracked%s", t.mapCount(), t.mapCount() == 1 ? "" : "s",
                leaky.map(e -> String.format(Locale.ROOT, "; the leak: %s pid %d map 0x%x at %,d entries (threshold %,d)",
                        e.getValue().getComm(), e.getValue().getPid(), e.getValue().getMapAddr(), e.getValue().getCount(),
                        DemoSettings.THRESHOLD)).orElse("")));
        List<Alert> alerts = t.alerts();
        if (alerts.isEmpty()) {
            out.add("  alerts     none");
        }
        for (int i = 0; i < alerts.size(); i++) {
            out.add((i == 0 ? "  alerts     " : "             ") + TerminalView.alertLine(alerts.get(i), t0));
        }
        DemoTimeline.Verdict v = t.verdict();
        if (v.crossedAt() != null) {
            out.add("  crossing   the leaking map reached " + String.format(Locale.ROOT, "%,d", DemoSettings.THRESHOLD)
                    + " entries at " + TerminalView.clock(v.crossedAt()) + " (" + TerminalView.rel(v.crossedAt() - t0) + ")");
        }
        if (v.warning() != null && v.leadMs() != null) {
            out.add("  lead time  " + TerminalView.secs(v.leadMs()) + (v.measured() ? "" : " (forecast)") + ": "
                    + v.warning().getSeverity() + " at " + TerminalView.rel(v.warning().getFiredAtMs() - t0) + ", "
                    + (v.measured() ? "crossed at " + TerminalView.rel(v.crossedAt() - t0)
                    : "forecast crossing " + TerminalView.rel(v.warning().getPredictedBreachAtMs() - t0)));
        }
        out.add("  result     " + (v.passed() ? "PASS: " : "FAIL: ") + v.reason());
        return out;
    }
}
