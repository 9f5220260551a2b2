package io.harbinger.streams.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's map history stays bounded, keeps its whole span in view, and forgets tombstoned maps. */
class MapHistoryTest {
    static MapTrend trend(MapKey k, long ts, long count) {
        return MapTrend.newBuilder().setHost(k.getHost()).setPid(k.getPid()).setMapAddr(k.getMapAddr()).setComm("svc")
                .setTsMs(ts).setCount(count).setLog2Buckets(10).setOverflowBuckets(0).setLoadFactor(0.5)
                .setOverflowRatio(0).setOverflowRatioRatePerMin(0).setLevel(count).setTrendPerMin(60)
                .setThreshold(1_000_000.0).build();
    }

    @Test
    void pointsAreThinnedNotTruncated() {
        MapHistory h = new MapHistory(10, 100);
        MapKey k = new MapKey("h", 1, 42L);
        for (int i = 0; i < 10_000; i++) {
            h.add(k, trend(k, 1_000L * i, i));
        }
        JsonNode m = h.toJson().get(0);
        JsonNode points = m.get("history");
        assertTrue(points.size() <= 100 && points.size() >= 25, "points: " + points.size());
        assertEquals(0, points.get(0).get(0).asLong(), "the start stays in view");
        assertEquals(9_999_000, points.get(points.size() - 1).get(0).asLong(), "the newest point is kept");
        assertEquals(9_999, m.get("count").asLong());
        assertEquals(1_000_000.0, m.get("threshold").asDouble());
        for (int i = 1; i < points.size(); i++) {
            assertTrue(points.get(i).get(0).asLong() > points.get(i - 1).get(0).asLong(), "in time order");
        }
    }

    @Test
    void boundedMapsLeastRecentlyUpdatedGoFirstAndTombstonesForget() {
        MapHistory h = new MapHistory(2, 10);
        MapKey a = new MapKey("h", 1, 1L);
        MapKey b = new MapKey("h", 1, 2L);
        MapKey c = new MapKey("h", 1, 3L);
        h.add(a, trend(a, 1, 1));
        h.add(b, trend(b, 1, 1));
        h.add(a, trend(a, 2, 2));
        h.add(c, trend(c, 1, 1)); // b is the least recently updated
        assertEquals(2, h.size());
        assertEquals(1L, h.toJson().get(0).get("map_addr").asLong());
        assertEquals(3L, h.toJson().get(1).get("map_addr").asLong());
        h.add(a, null);
        assertEquals(1, h.size());
    }

    @Test
    void outOfOrderTrendsDoNotBendTheLine() {
        MapHistory h = new MapHistory(1, 10);
        MapKey a = new MapKey("h", 1, 1L);
        h.add(a, trend(a, 2_000, 20));
        h.add(a, trend(a, 1_000, 10));
        assertEquals(1, h.toJson().get(0).get("history").size());
        assertEquals(20, h.toJson().get(0).get("count").asLong());
    }
}
