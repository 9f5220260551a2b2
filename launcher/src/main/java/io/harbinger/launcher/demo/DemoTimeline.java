package io.harbinger.launcher.demo;

import io.harbinger.schema.Alert;
import io.harbinger.schema.AlertSeverity;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the demo saw, fed from the output topics: every map's latest trend and when it first crossed the threshold,
 * every alert state change, and how many latency windows closed. Pure and thread-safe; the verdict of
 * {@code --for} ({@link #verdict}) is computed from it alone.
 */
final class DemoTimeline {
    private final String leakyComm;
    private final String ruleName;
    private final double threshold;
    private final Map<MapKey, MapTrend> maps = new LinkedHashMap<>();
    private final Map<MapKey, Long> crossedAtMs = new LinkedHashMap<>();
    private final List<Alert> alerts = new ArrayList<>();
    private long latencyWindows;
    private long latestEventMs = Long.MIN_VALUE;

    DemoTimeline(String leakyComm, String ruleName, double threshold) {
        this.leakyComm = leakyComm;
        this.ruleName = ruleName;
        this.threshold = threshold;
    }

    synchronized void onTrend(MapKey key, MapTrend t) {
        if (t == null) {
            return; // a forgotten map keeps its last state here: the summary still reports it
        }
        latestEventMs = Math.max(latestEventMs, t.getTsMs());
        MapTrend prev = maps.get(key);
        if (prev == null || t.getTsMs() >= prev.getTsMs()) {
            maps.put(key, t);
        }
        if (t.getCount() >= threshold) {
            crossedAtMs.merge(key, t.getTsMs(), Math::min);
        }
    }

    synchronized void onAlert(Alert a) {
        alerts.add(a);
    }

    synchronized void onLatencyWindow() {
        latencyWindows++;
    }

    /** Event time of the newest trend seen (a fast replay runs ahead of the wall clock), or MIN_VALUE. */
    synchronized long latestEventMs() {
        return latestEventMs;
    }

    synchronized long latencyWindows() {
        return latencyWindows;
    }

    synchronized int mapCount() {
        return maps.size();
    }

    synchronized List<Alert> alerts() {
        return List.copyOf(alerts);
    }

    /** The leaking map: the largest map of the leaky service. */
    synchronized Optional<Map.Entry<MapKey, MapTrend>> leakyMap() {
        return maps.entrySet().stream()
                .filter(e -> leakyComm.equals(e.getValue().getComm()))
                .max((a, b) -> Long.compare(a.getValue().getCount(), b.getValue().getCount()))
                .map(e -> Map.entry(e.getKey(), e.getValue()));
    }

    synchronized Optional<Long> crossedAt(MapKey key) {
        return Optional.ofNullable(crossedAtMs.get(key));
    }

    /**
     * Whether the leak was warned about in time.
     *
     * @param warning   the first WARNING or CRITICAL of the demo rule for the leaking map, if any
     * @param crossedAt event time the map's count first reached the threshold, if it did
     * @param leadMs    crossing (or, not crossed yet, the forecast crossing of the warning) minus the warning's time
     * @param measured  true when the lead time is measured against the real crossing
     */
    record Verdict(MapKey map, Alert warning, Long crossedAt, Long leadMs, boolean measured, boolean passed,
                   String reason) {}

    synchronized Verdict verdict() {
        Optional<Map.Entry<MapKey, MapTrend>> leaky = leakyMap();
        if (leaky.isEmpty()) {
            return new Verdict(null, null, null, null, false, false,
                    "the leaky service's map was never seen (no snapshot of comm '" + leakyComm + "')");
        }
        MapKey key = leaky.get().getKey();
        Long crossed = crossedAtMs.get(key);
        Alert first = alerts.stream()
                .filter(a -> ruleName.equals(a.getRule()) && a.getSeverity() != AlertSeverity.RESOLVED)
                .filter(a -> Objects.equals(a.getPid(), key.getPid()) && Objects.equals(a.getMapAddr(), key.getMapAddr()))
                .min((a, b) -> Long.compare(a.getFiredAtMs(), b.getFiredAtMs()))
                .orElse(null);
        if (first == null) {
            return new Verdict(key, null, crossed, null, false, false, crossed == null
                    ? "no alert yet for the leaking map (it has not crossed either: run longer)"
                    : "the leaking map crossed the threshold without an earlier alert");
        }
        if (crossed != null) {
            long lead = crossed - first.getFiredAtMs();
            return new Verdict(key, first, crossed, lead, true, lead > 0, lead > 0
                    ? "warned " + seconds(lead) + " before the map crossed the threshold"
                    : "the first alert came " + seconds(-lead) + " after the crossing");
        }
        Long predicted = first.getPredictedBreachAtMs();
        Long lead = predicted == null ? null : predicted - first.getFiredAtMs();
        return new Verdict(key, first, null, lead, false, true, "warned; the map has not crossed the threshold yet"
                + (lead == null ? "" : " (forecast lead " + seconds(lead) + ")"));
    }

    static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.0f s", ms / 1000.0);
    }
}
