package io.harbinger.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.harbinger.schema.Alert;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the demo's terminal screen from what it knows: pure (inputs in, lines out), so it is tested without a
 * terminal. {@link DemoRunner} redraws it every {@link DemoSettings#REFRESH} on a terminal, or prints
 * {@link #statusLine} now and then when the output is not one.
 */
final class TerminalView {
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int BAR = 30;

    /** What one screen shows. {@code top} is the query API's {@code /v1/latency/top} answer (may be null). */
    record Frame(String mode, String host, long nowMs, long leakStartMs, String dashboardUrl,
                 DemoPipeline.SourceStats source, long windows, int maps, JsonNode top,
                 Optional<Map.Entry<MapKey, MapTrend>> leaky, Optional<Long> crossedAt, List<Alert> alerts,
                 double threshold) {}

    static List<String> render(Frame f) {
        List<String> out = new ArrayList<>();
        out.add("Harbinger demo · " + f.mode() + " · host " + f.host() + " · " + rel(f.nowMs() - f.leakStartMs())
                + " since the leak started · Ctrl-C stops");
        out.add("Dashboard: " + f.dashboardUrl());
        out.add("");
        DemoPipeline.SourceStats s = f.source();
        out.add(String.format(Locale.ROOT, "Events  %,d syscall events + %,d map snapshots published%s · %,d latency "
                        + "windows closed · %d map%s", s.syscallEvents(), s.mapSnapshots(), dropped(s), f.windows(),
                f.maps(), f.maps() == 1 ? "" : "s"));
        out.add("");
        out.addAll(topLines(f.top()));
        out.add("");
        out.addAll(mapLines(f));
        out.add("");
        out.add("Alerts");
        if (f.alerts().isEmpty()) {
            out.add("  none yet");
        }
        for (Alert a : f.alerts()) {
            out.add("  " + alertLine(a, f.leakStartMs()));
        }
        return out;
    }

    static List<String> topLines(JsonNode top) {
        List<String> out = new ArrayList<>();
        if (top == null || !top.isArray() || top.isEmpty()) {
            out.add("Top P99 syscalls: waiting for the first closed window ...");
            return out;
        }
        long end = top.get(0).path("window_end_ms").asLong();
        out.add("Top P99 syscalls (window ending " + CLOCK.format(Instant.ofEpochMilli(end)) + ")");
        out.add(String.format(Locale.ROOT, "  %-16s %-18s %9s %10s %10s %10s", "COMM", "SYSCALL", "CALLS", "P50", "P99",
                "P999"));
        int n = 0;
        for (JsonNode w : top) {
            if (n++ >= 8) {
                break;
            }
            out.add(String.format(Locale.ROOT, "  %-16s %-18s %,9d %10s %10s %10s", cut(w.path("comm").asText(), 16),
                    cut(w.path("syscall").asText(), 18), w.path("count").asLong(), ns(w.path("p50_ns").asDouble()),
                    ns(w.path("p99_ns").asDouble()), ns(w.path("p999_ns").asDouble())));
        }
        return out;
    }

    static List<String> mapLines(Frame f) {
        List<String> out = new ArrayList<>();
        if (f.leaky().isEmpty()) {
            out.add("Leaking map: not seen yet (the collector finds it at its next growth) ...");
            return out;
        }
        MapTrend t = f.leaky().get().getValue();
        out.add(String.format(Locale.ROOT, "Leaking map  %s pid %d map 0x%x", t.getComm(), t.getPid(), t.getMapAddr()));
        double frac = Math.min(1, t.getCount() / f.threshold());
        int full = (int) Math.round(frac * BAR);
        out.add(String.format(Locale.ROOT, "  count %,11d / %,d  [%s%s] %3.0f%%   %+,.0f/min", t.getCount(),
                (long) f.threshold(), "#".repeat(full), "-".repeat(BAR - full), 100 * frac, t.getTrendPerMin()));
        String model = t.getForecast() == null ? "?" : t.getForecast().getModel()
                + (t.getForecast().getCredible() ? ", credible" : ", not credible yet");
        String eta;
        if (f.crossedAt().isPresent()) {
            eta = "crossed the threshold at " + clock(f.crossedAt().get()) + " (" + rel(f.crossedAt().get() - f.leakStartMs())
                    + ")";
        } else if (t.getEtaMs() != null) {
            eta = "forecast to cross at " + clock(t.getEtaMs()) + " (in " + secs(t.getEtaMs() - t.getTsMs()) + ")";
        } else {
            eta = "no crossing forecast yet";
        }
        out.add("  forecast " + model + " — " + eta);
        return out;
    }

    static String alertLine(Alert a, long leakStartMs) {
        String lead = a.getPredictedBreachAtMs() == null || a.getSeverity().name().equals("RESOLVED") ? ""
                : " · forecast crossing " + clock(a.getPredictedBreachAtMs()) + " (lead " + secs(a.getPredictedBreachAtMs()
                - a.getFiredAtMs()) + ")";
        return String.format(Locale.ROOT, "%s (%s)  %-8s %s%s", clock(a.getFiredAtMs()), rel(a.getFiredAtMs() - leakStartMs),
                a.getSeverity(), a.getSummary(), lead);
    }

    /** One line for a log-like output (not a terminal). */
    static String statusLine(Frame f) {
        String map = f.leaky().map(e -> String.format(Locale.ROOT, "map %,d/%,d%s", e.getValue().getCount(),
                (long) f.threshold(), e.getValue().getEtaMs() == null ? "" : ", forecast crossing " + clock(e.getValue().getEtaMs())))
                .orElse("map not seen yet");
        String top = f.top() == null || f.top().isEmpty() ? "no window closed yet"
                : "top P99 " + f.top().get(0).path("comm").asText() + "/" + f.top().get(0).path("syscall").asText() + " "
                + ns(f.top().get(0).path("p99_ns").asDouble());
        return String.format(Locale.ROOT, "[%s] %,d events, %,d windows, %s; %s; %d alerts", rel(f.nowMs() - f.leakStartMs()),
                f.source().syscallEvents() + f.source().mapSnapshots(), f.windows(), top, map, f.alerts().size());
    }

    private static String dropped(DemoPipeline.SourceStats s) {
        long d = s.droppedUser() + s.droppedKernel();
        return d == 0 ? " (none dropped)" : String.format(Locale.ROOT, " (%,d dropped)", d);
    }

    static String clock(long ms) {
        return CLOCK.format(Instant.ofEpochMilli(ms));
    }

    /** Time relative to the leak's start, like t+83s. */
    static String rel(long ms) {
        return (ms < 0 ? "t-" : "t+") + Math.abs(Math.round(ms / 1000.0)) + "s";
    }

    static String secs(long ms) {
        return String.format(Locale.ROOT, "%.0f s", ms / 1000.0);
    }

    static String ns(double ns) {
        if (ns < 1e3) {
            return String.format(Locale.ROOT, "%.0f ns", ns);
        }
        if (ns < 1e6) {
            return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
        }
        if (ns < 1e9) {
            return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n);
    }
}
