package io.harbinger.streams.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallLatencyWindow;

import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shapes of CONTRACTS.md ("Backtest outputs", "Query API") in one place, so the backtest files and the
 * REST answers are the same objects. Contract fields first, extras after.
 */
public final class JsonViews {
    public static final ObjectMapper JSON = new ObjectMapper();

    private JsonViews() {}

    /** One line of latency.jsonl / an element of GET /v1/latency. */
    public static ObjectNode latencyWindow(SyscallLatencyWindow w) {
        ObjectNode n = JSON.createObjectNode();
        n.put("host", w.getHost());
        n.put("comm", w.getComm());
        n.put("syscall", w.getSyscall());
        n.put("window_start_ms", w.getWindowStartMs());
        n.put("window_end_ms", w.getWindowEndMs());
        n.put("count", w.getCount());
        n.put("errors", w.getErrors());
        n.put("p50_ns", w.getP50Ns());
        n.put("p99_ns", w.getP99Ns());
        n.put("p999_ns", w.getP999Ns());
        n.put("max_ns", w.getMaxNs());
        n.put("error_rate", w.getCount() == 0 ? 0.0 : (double) w.getErrors() / w.getCount());
        ObjectNode errnos = n.putObject("errors_by_errno");
        for (Map.Entry<String, Long> e : new TreeMap<>(w.getErrorsByErrno()).entrySet()) {
            errnos.put(e.getKey(), e.getValue());
        }
        putNullable(n, "p99_level_ns", w.getP99LevelNs());
        putNullable(n, "p99_trend_per_min", w.getP99TrendPerMin());
        return n;
    }

    /** One line of maptrends.jsonl / an element of GET /v1/maps. */
    public static ObjectNode mapTrend(MapTrend t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("host", t.getHost());
        n.put("pid", t.getPid());
        n.put("map_addr", t.getMapAddr());
        n.put("ts_ms", t.getTsMs());
        n.put("count", t.getCount());
        n.put("load_factor", t.getLoadFactor());
        n.put("overflow_ratio", t.getOverflowRatio());
        n.put("level", t.getLevel());
        n.put("trend_per_min", t.getTrendPerMin());
        if (t.getEtaMs() == null) {
            n.putNull("eta_ms");
        } else {
            n.put("eta_ms", t.getEtaMs());
        }
        n.put("comm", t.getComm());
        n.put("log2_buckets", t.getLog2Buckets());
        n.put("overflow_buckets", t.getOverflowBuckets());
        n.put("overflow_ratio_rate_per_min", t.getOverflowRatioRatePerMin());
        putNullable(n, "threshold", t.getThreshold());
        if (t.getForecast() != null) {
            ObjectNode f = n.putObject("forecast");
            f.put("model", t.getForecast().getModel());
            f.put("credible", t.getForecast().getCredible());
            f.put("damping_per_min", t.getForecast().getDampingPerMin());
            f.put("residual_sd", t.getForecast().getResidualSd());
        }
        return n;
    }

    private static void putNullable(ObjectNode n, String field, Double v) {
        if (v == null) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }
}
