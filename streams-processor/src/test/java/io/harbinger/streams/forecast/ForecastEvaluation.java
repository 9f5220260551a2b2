package io.harbinger.streams.forecast;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapTrend;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Replays a gomap recording through {@link MapGrowthModel} (round-tripped through its bytes on every snapshot, as
 * in a state store), publishes a {@link MapTrend} per snapshot, evaluates {@link EarlyWarningRule} on
 * {@link ThresholdEta#etaMs(MapTrend, double)} for every trend and, every minute of stream time, for every subject
 * on its latest trend (an ETA is absolute: a map that went quiet still counts down), and scores the alerts like
 * shared/eval/eval_forecast.py.
 *
 * <p>Run: {@code java ... ForecastEvaluation DATA_DIR OUT_DIR} writes OUT_DIR/alerts.jsonl (CONTRACTS.md format)
 * and OUT_DIR/maptrends.jsonl, and prints the per-series scores; then
 * {@code python3 shared/eval/eval_forecast.py DATA_DIR OUT_DIR/alerts.jsonl} scores the same file.
 */
final class ForecastEvaluation {

    static final String RULE = "gomap-growth";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(List<ForecastScore.Alert> alerts, List<String> alertLines, List<String> trendLines) {
    }

    /** Every minute of stream time, subjects without a fresher trend are re-evaluated on their latest one. */
    static final long TICK_MS = 60_000;
    /** ... if that trend is no older than this (a silent map is not warned about forever). */
    static final long STALE_AFTER_MS = 30 * 60_000L;

    private record Latest(GoMapEvent event, MapTrend trend, OptionalLong eta) {
    }

    private ForecastEvaluation() {
    }

    static Run replay(GomapTrace trace, EarlyWarningRule.Params params, MapGrowthModel.Config config,
                      boolean keepTrends) {
        Map<GomapTrace.Key, byte[]> store = new HashMap<>();
        Map<GomapTrace.Key, EarlyWarningRule> rules = new HashMap<>();
        List<ForecastScore.Alert> alerts = new ArrayList<>();
        List<String> alertLines = new ArrayList<>();
        List<String> trendLines = new ArrayList<>();
        Map<GomapTrace.Key, Latest> latest = new java.util.LinkedHashMap<>();
        long nextTick = Long.MIN_VALUE;
        for (GoMapEvent e : trace.events()) {
            GomapTrace.Key key = GomapTrace.Key.of(e);
            long eventMs = e.getTsNs() / 1_000_000;
            if (nextTick == Long.MIN_VALUE) {
                nextTick = Math.floorDiv(eventMs, TICK_MS) * TICK_MS + TICK_MS;
            }
            for (; nextTick <= eventMs; nextTick += TICK_MS) {
                for (Map.Entry<GomapTrace.Key, Latest> l : latest.entrySet()) {
                    long trendTs = l.getValue().trend().getTsMs();
                    if (trendTs < nextTick && nextTick - trendTs <= STALE_AFTER_MS) {
                        GoMapEvent last = l.getValue().event();
                        rules.get(l.getKey()).evaluate(nextTick, last.getCount(), l.getValue().eta()).ifPresent(t -> {
                            alerts.add(new ForecastScore.Alert(l.getKey(), t.severity().name(), t.atMs()));
                            alertLines.add(alertLine(last, t, params.threshold()));
                        });
                    }
                }
            }
            byte[] bytes = store.get(key);
            MapGrowthModel model = bytes == null ? new MapGrowthModel(config) : MapGrowthModel.fromBytes(bytes, config);
            long tsMs = e.getTsNs() / 1_000_000;
            model.observe(tsMs, e.getCount());
            store.put(key, model.toBytes());
            MapTrend trend = trendOf(e, model, params.threshold());
            OptionalLong eta = ThresholdEta.etaMs(trend, params.threshold());
            if (keepTrends) {
                trendLines.add(trendLine(trend, model));
            }
            latest.put(key, new Latest(e, trend, eta));
            // evaluated at the trend's time: the newest snapshot's, which a late snapshot does not move back
            Optional<EarlyWarningRule.Transition> t = rules
                    .computeIfAbsent(key, k -> new EarlyWarningRule(params))
                    .evaluate(trend.getTsMs(), e.getCount(), eta);
            if (t.isPresent()) {
                alerts.add(new ForecastScore.Alert(key, t.get().severity().name(), t.get().atMs()));
                alertLines.add(alertLine(e, t.get(), params.threshold()));
            }
        }
        return new Run(alerts, alertLines, trendLines);
    }

    static MapTrend trendOf(GoMapEvent e, MapGrowthModel model, double threshold) {
        double buckets = Math.pow(2, e.getLog2Buckets());
        OptionalLong eta = model.etaMs(threshold);
        return MapTrend.newBuilder()
                .setHost(e.getHost()).setPid(e.getPid()).setMapAddr(e.getMapAddr()).setComm(e.getComm())
                .setTsMs(model.tsMs()).setCount(e.getCount())
                .setLog2Buckets(e.getLog2Buckets()).setOverflowBuckets(e.getOverflowBuckets())
                .setLoadFactor(e.getCount() / (8 * buckets)).setOverflowRatio(e.getOverflowBuckets() / buckets)
                .setLevel(model.level()).setTrendPerMin(model.trendPerMin())
                .setThreshold(threshold).setEtaMs(eta.isPresent() ? eta.getAsLong() : null)
                .setForecast(model.forecast())
                .build();
    }

    private static String trendLine(MapTrend t, MapGrowthModel m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("host", t.getHost());
        o.put("pid", t.getPid());
        o.put("map_addr", t.getMapAddr());
        o.put("ts_ms", t.getTsMs());
        o.put("count", t.getCount());
        o.put("load_factor", t.getLoadFactor());
        o.put("overflow_ratio", t.getOverflowRatio());
        o.put("level", Math.round(t.getLevel()));
        o.put("trend_per_min", Math.round(t.getTrendPerMin()));
        if (t.getEtaMs() == null) {
            o.putNull("eta_ms");
        } else {
            o.put("eta_ms", t.getEtaMs());
        }
        o.put("model", m.modelName());
        o.put("damping_per_min", m.dampingPerMin());
        o.put("residual_sd", Math.round(m.residualSd()));
        return o.toString();
    }

    private static String alertLine(GoMapEvent e, EarlyWarningRule.Transition t, double threshold) {
        ObjectNode o = JSON.createObjectNode();
        o.put("rule", RULE);
        o.put("severity", t.severity().name());
        o.put("host", e.getHost());
        o.put("pid", e.getPid());
        o.put("map_addr", e.getMapAddr());
        o.put("comm", e.getComm());
        o.putNull("syscall");
        o.put("fired_at_ms", t.atMs());
        o.put("value", t.value());
        o.put("threshold", threshold);
        if (t.etaMs() == null) {
            o.putNull("predicted_breach_at_ms");
        } else {
            o.put("predicted_breach_at_ms", t.etaMs());
        }
        o.put("summary", switch (t.severity()) {
            case RESOLVED -> "gomap.count no longer forecast to reach " + (long) threshold;
            default -> "gomap.count " + (long) t.value() + " forecast to reach " + (long) threshold
                    + (t.etaMs() == null ? "" : " at " + t.etaMs());
        });
        return o.toString();
    }

    static void write(Run run, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Files.write(outDir.resolve("alerts.jsonl"), run.alertLines());
        if (!run.trendLines().isEmpty()) {
            Files.write(outDir.resolve("maptrends.jsonl"), run.trendLines());
        }
    }

    static ForecastScore.Result evaluate(GomapTrace trace, MapGrowthModel.Config config) {
        Run run = replay(trace, EarlyWarningRule.Params.defaults(trace.threshold()), config, false);
        return ForecastScore.score(trace, run.alerts(), 30);
    }

    static String format(String title, ForecastScore.Result r) {
        StringBuilder sb = new StringBuilder("## " + title + "\n");
        sb.append(String.format("%-28s %8s %10s %6s %8s%n", "series", "lead", "base lead", "FA", "base FA"));
        for (ForecastScore.Row row : r.rows()) {
            sb.append(row.crosses()
                    ? String.format("%-28s %8s %10s%n", row.name(), row.leadMin(), row.baselineLeadMin())
                    : String.format("%-28s %8s %10s %6s %8s%n", row.name(), "-", "-", row.falseAlarm() ? "FA" : "",
                    row.baselineFalseAlarm() ? "FA" : ""));
        }
        ForecastScore.Summary s = r.summary();
        sb.append(String.format("ours: min %s median %s missed %d FA %d | baseline: min %s median %s missed %d FA %d"
                        + " | %d crossing, %d quiet%n", s.minLeadMin(), s.medianLeadMin(), s.missed(), s.falseAlarms(),
                s.baselineMinLeadMin(), s.baselineMedianLeadMin(), s.baselineMissed(), s.baselineFalseAlarms(),
                s.crossing(), s.quiet()));
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ForecastEvaluation DATA_DIR OUT_DIR");
            System.exit(2);
        }
        GomapTrace trace = GomapTrace.load(Path.of(args[0]));
        Run run = replay(trace, EarlyWarningRule.Params.defaults(trace.threshold()), MapGrowthModel.Config.defaults(),
                true);
        write(run, Path.of(args[1]));
        System.out.print(format(args[0], ForecastScore.score(trace, run.alerts(), 30)));
    }
}
