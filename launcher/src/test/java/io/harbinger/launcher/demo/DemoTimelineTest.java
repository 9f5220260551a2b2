package io.harbinger.launcher.demo;

import io.harbinger.schema.Alert;
import io.harbinger.schema.AlertSeverity;
import io.harbinger.schema.GrowthForecast;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's verdict from fixed timelines: warned before the crossing, after it, never, or not crossed yet. */
class DemoTimelineTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final MapKey LEAK = new MapKey("h", 42, 0xc000010000L);
    private static final MapKey OTHER = new MapKey("h", 42, 0xc000020000L);

    static MapTrend trend(MapKey k, String comm, long ts, long count, Long eta) {
        return MapTrend.newBuilder().setHost(k.getHost()).setPid(k.getPid()).setMapAddr(k.getMapAddr()).setComm(comm)
                .setTsMs(ts).setCount(count).setLog2Buckets(18).setOverflowBuckets(0).setLoadFactor(0.5)
                .setOverflowRatio(0).setOverflowRatioRatePerMin(0).setLevel(count).setTrendPerMin(588_000)
                .setThreshold(1_500_000.0).setEtaMs(eta)
                .setForecast(GrowthForecast.newBuilder().setModel("robust-trend/linear").setCredible(eta != null)
                        .setDampingPerMin(1).setResidualSd(10).build())
                .build();
    }

    static Alert alert(MapKey k, AlertSeverity sev, long firedAt, Long predicted) {
        return Alert.newBuilder().setDedupKey("d").setRule("demo-leak").setMetric("gomap.count").setSeverity(sev)
                .setHost(k.getHost()).setPid(k.getPid()).setMapAddr(k.getMapAddr()).setComm("leaky")
                .setFiredAtMs(firedAt).setValue(1).setThreshold(1_500_000).setPredictedBreachAtMs(predicted)
                .setSummary("demo-leak " + sev).build();
    }

    private static DemoTimeline timeline() {
        DemoTimeline t = new DemoTimeline("leaky", "demo-leak", 1_500_000);
        t.onTrend(OTHER, trend(OTHER, "leaky", T0 + 5_000, 20_000, null)); // a small map of the same process
        for (int s = 0; s <= 160; s += 10) {
            t.onTrend(LEAK, trend(LEAK, "leaky", T0 + s * 1000L, 9_800L * s, s >= 60 ? T0 + 153_000 : null));
        }
        return t;
    }

    @Test
    void warnedBeforeTheCrossingPassesWithTheMeasuredLead() {
        DemoTimeline t = timeline();
        t.onAlert(alert(LEAK, AlertSeverity.WARNING, T0 + 63_000, T0 + 153_000));
        t.onAlert(alert(LEAK, AlertSeverity.CRITICAL, T0 + 123_000, T0 + 153_000));
        DemoTimeline.Verdict v = t.verdict();
        assertEquals(LEAK, v.map());
        assertEquals(T0 + 160_000, v.crossedAt()); // first trend at or over 1.5 M (9,800 * 160)
        assertEquals(97_000, v.leadMs());
        assertTrue(v.measured() && v.passed(), v.reason());
        assertEquals(AlertSeverity.WARNING, v.warning().getSeverity());
    }

    @Test
    void anAlertOnlyAfterTheCrossingFails() {
        DemoTimeline t = timeline();
        t.onAlert(alert(LEAK, AlertSeverity.CRITICAL, T0 + 161_000, null));
        DemoTimeline.Verdict v = t.verdict();
        assertFalse(v.passed());
        assertEquals(-1_000, v.leadMs());
    }

    @Test
    void noAlertAtAllFails() {
        DemoTimeline.Verdict v = timeline().verdict();
        assertFalse(v.passed());
        assertNull(v.warning());
        assertTrue(v.reason().contains("crossed the threshold without an earlier alert"), v.reason());
    }

    @Test
    void alertsOfOtherMapsOrRulesDoNotCount() {
        DemoTimeline t = timeline();
        t.onAlert(alert(OTHER, AlertSeverity.WARNING, T0 + 30_000, T0 + 200_000));
        Alert otherRule = alert(LEAK, AlertSeverity.WARNING, T0 + 30_000, T0 + 200_000);
        otherRule.setRule("gomap-growth");
        t.onAlert(otherRule);
        assertFalse(t.verdict().passed());
    }

    @Test
    void warnedButNotCrossedYetPassesWithTheForecastLead() {
        DemoTimeline t = new DemoTimeline("leaky", "demo-leak", 1_500_000);
        t.onTrend(LEAK, trend(LEAK, "leaky", T0 + 100_000, 980_000, T0 + 153_000));
        t.onAlert(alert(LEAK, AlertSeverity.WARNING, T0 + 63_000, T0 + 153_000));
        DemoTimeline.Verdict v = t.verdict();
        assertTrue(v.passed());
        assertFalse(v.measured());
        assertEquals(90_000, v.leadMs());
    }

    @Test
    void noMapOfTheLeakyServiceFails() {
        DemoTimeline t = new DemoTimeline("leaky", "demo-leak", 1_500_000);
        t.onTrend(OTHER, trend(OTHER, "postgres", T0, 10, null));
        assertFalse(t.verdict().passed());
        assertTrue(t.verdict().reason().contains("never seen"));
    }

    @Test
    void theScreenShowsTheLeakItsForecastAndTheAlerts() {
        DemoTimeline t = timeline();
        t.onAlert(alert(LEAK, AlertSeverity.WARNING, T0 + 63_000, T0 + 153_000));
        Optional<Map.Entry<MapKey, MapTrend>> leaky = t.leakyMap();
        TerminalView.Frame f = new TerminalView.Frame("live (eBPF)", "h", T0 + 165_000, T0, "http://127.0.0.1:8090/dashboard/",
                new DemoPipeline.SourceStats(1_000_000, 300, 1_000_300, 0, 0, null), 123, 2, null, leaky,
                leaky.flatMap(e -> t.crossedAt(e.getKey())), t.alerts(), 1_500_000);
        List<String> screen = TerminalView.render(f);
        String all = String.join("\n", screen);
        assertTrue(all.contains("t+165s since the leak started"), all);
        assertTrue(all.contains("Dashboard: http://127.0.0.1:8090/dashboard/"), all);
        assertTrue(all.contains("1,000,000 syscall events + 300 map snapshots published (none dropped)"), all);
        assertTrue(all.contains("Top P99 syscalls: waiting"), all);
        assertTrue(all.contains("count   1,568,000 / 1,500,000  [##############################] 100%"), all);
        assertTrue(all.contains("crossed the threshold at"), all);
        assertTrue(all.contains("(t+63s)  WARNING  demo-leak WARNING"), all);
        assertTrue(all.contains("(lead 90 s)"), all);
    }
}
