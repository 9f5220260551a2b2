package io.harbinger.streams.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.streams.json.JsonViews;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recent history of every map's count and forecast, for the dashboard's growth charts: the query API keeps only
 * each map's latest trend. Bounded: at most {@code maxMaps} maps (the least recently updated is dropped) and
 * {@code maxPoints} points per map (when full, every other point is dropped, so the whole history stays in view at
 * half the resolution). Thread-safe; pure (fed by {@link MapHistoryFeed}).
 */
public final class MapHistory {
    private final int maxMaps;
    private final int maxPoints;
    private final LinkedHashMap<MapKey, Series> series = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Series {
        final List<long[]> points = new ArrayList<>(); // {ts_ms, count}
        MapTrend latest;
        long minStepMs = 0; // after thinning, points closer than this to the previous one are skipped
    }

    public MapHistory(int maxMaps, int maxPoints) {
        if (maxMaps < 1 || maxPoints < 4) {
            throw new IllegalArgumentException("maxMaps >= 1 and maxPoints >= 4 required");
        }
        this.maxMaps = maxMaps;
        this.maxPoints = maxPoints;
    }

    /** Adds a trend; a null trend (tombstone) forgets the map. */
    public synchronized void add(MapKey key, MapTrend trend) {
        if (trend == null) {
            series.remove(key);
            return;
        }
        Series s = series.computeIfAbsent(key, k -> new Series());
        if (s.latest != null && trend.getTsMs() < s.latest.getTsMs()) {
            return; // out of order: the history is a line in time
        }
        s.latest = trend;
        List<long[]> p = s.points;
        int n = p.size();
        if (n >= 2 && trend.getTsMs() - p.get(n - 2)[0] < s.minStepMs) {
            p.set(n - 1, new long[] {trend.getTsMs(), trend.getCount()}); // the newest point moves along
        } else {
            p.add(new long[] {trend.getTsMs(), trend.getCount()});
        }
        if (p.size() > maxPoints) {
            List<long[]> kept = new ArrayList<>(maxPoints / 2 + 1);
            for (int i = 0; i < p.size(); i += 2) {
                kept.add(p.get(i));
            }
            if (kept.get(kept.size() - 1) != p.get(p.size() - 1)) {
                kept.add(p.get(p.size() - 1));
            }
            p.clear();
            p.addAll(kept);
            s.minStepMs = Math.max(1, (p.get(p.size() - 1)[0] - p.get(0)[0]) / Math.max(1, p.size() - 1));
        }
        while (series.size() > maxMaps) {
            series.remove(series.keySet().iterator().next());
        }
    }

    public synchronized int size() {
        return series.size();
    }

    /** Every map: its latest trend (as in /v1/maps) plus {@code history: [[ts_ms, count], ...]}. */
    public synchronized ArrayNode toJson() {
        ArrayNode out = JsonViews.JSON.createArrayNode();
        List<Map.Entry<MapKey, Series>> entries = new ArrayList<>(series.entrySet());
        entries.sort(Comparator.comparing((Map.Entry<MapKey, Series> e) -> e.getKey().getHost())
                .thenComparingInt(e -> e.getKey().getPid()).thenComparingLong(e -> e.getKey().getMapAddr()));
        for (Map.Entry<MapKey, Series> e : entries) {
            ObjectNode n = JsonViews.mapTrend(e.getValue().latest);
            if (e.getValue().latest.getThreshold() != null) {
                n.put("threshold", e.getValue().latest.getThreshold());
            }
            ArrayNode h = n.putArray("history");
            for (long[] pt : e.getValue().points) {
                h.addArray().add(pt[0]).add(pt[1]);
            }
            out.add(n);
        }
        return out;
    }
}
