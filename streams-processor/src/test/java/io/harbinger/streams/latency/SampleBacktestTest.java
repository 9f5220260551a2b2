package io.harbinger.streams.latency;

import com.fasterxml.jackson.databind.JsonNode;
import io.harbinger.jsonl.JsonlReader;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.streams.ProcessorTopology;
import io.harbinger.streams.backtest.Backtest;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.streams.json.JsonViews;
import io.harbinger.topics.TopicSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample recording through the real topology in event time: every window present, counts and errors exact,
 * P50/P99/P999 within 1 % of the exact order statistics (the same bracket eval_quantiles.py uses).
 */
class SampleBacktestTest {
    static final Path SAMPLES = io.harbinger.streams.SharedFiles.ROOT.resolve("samples");

    @Test
    void sampleWindowsAreExactInCountAndWithinOnePercentInQuantiles(@TempDir Path dir) throws IOException {
        Path input = SAMPLES.resolve("syscall.jsonl");
        Properties props = Backtest.driverProperties(dir.resolve("state"));
        ProcessorConfig config = ProcessorConfig.from(Backtest.asMap(props));
        Path out = dir.resolve("latency.jsonl");
        Backtest.Summary s = Backtest.run(ProcessorTopology.build(config), props,
                input, List.of(new Backtest.Output<>(TopicSpecs.SYSCALL_LATENCY.name(),
                        new AvroBinarySerde<>(SyscallLatencyWindow.class), out, JsonViews::latencyWindow)),
                config.window().plus(config.grace()), true);
        assertEquals(60000, s.syscallEvents());

        Map<String, List<Long>> exact = new HashMap<>();
        Map<String, Long> errors = new HashMap<>();
        try (JsonlReader r = JsonlReader.open(input)) {
            while (r.hasNext()) {
                SyscallEvent e = (SyscallEvent) r.next();
                long ms = e.getTsNs() / 1_000_000;
                String k = e.getComm() + "/" + e.getSyscall() + "/" + (ms - ms % 60_000);
                exact.computeIfAbsent(k, x -> new ArrayList<>()).add(e.getLatencyNs());
                if (e.getRet() < 0) {
                    errors.merge(k, 1L, Long::sum);
                }
            }
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals(exact.size(), lines.size(), "one line per window and key");
        double worst = 0;
        for (String line : lines) {
            JsonNode n = JsonViews.JSON.readTree(line);
            String k = n.get("comm").asText() + "/" + n.get("syscall").asText() + "/" + n.get("window_start_ms").asLong();
            List<Long> xs = exact.get(k);
            assertTrue(xs != null, "unexpected window " + k);
            xs.sort(null);
            assertEquals(xs.size(), n.get("count").asLong(), k);
            assertEquals(errors.getOrDefault(k, 0L), n.get("errors").asLong(), k);
            assertEquals(xs.get(xs.size() - 1), n.get("max_ns").asLong(), k);
            for (double q : new double[]{0.5, 0.99, 0.999}) {
                String field = q == 0.5 ? "p50_ns" : q == 0.99 ? "p99_ns" : "p999_ns";
                worst = Math.max(worst, relativeError(xs, q, n.get(field).asLong()));
            }
        }
        assertTrue(worst <= 0.01, "worst relative error " + worst);
    }

    /** Distance outside the bracket of order statistics around rank q*(n-1), as eval_quantiles.py measures it. */
    static double relativeError(List<Long> sorted, double q, long v) {
        int n = sorted.size();
        int lo = (int) Math.max(0, Math.floor(q * (n - 1)) - 1);
        int hi = (int) Math.min(n - 1, Math.ceil(q * (n - 1)) + 1);
        long a = sorted.get(lo), b = sorted.get(hi);
        return v < a ? (a - v) / (double) a : v > b ? (v - b) / (double) b : 0;
    }

    @Test
    void gomapSampleProducesATrendPerSnapshot(@TempDir Path dir) throws IOException {
        Properties props = Backtest.driverProperties(dir.resolve("state"));
        ProcessorConfig config = ProcessorConfig.from(Backtest.asMap(props));
        Path out = dir.resolve("maptrends.jsonl");
        Backtest.Summary s = Backtest.run(ProcessorTopology.build(config), props,
                SAMPLES.resolve("gomap.jsonl"), List.of(new Backtest.Output<>(TopicSpecs.GOMAP_TRENDS.name(),
                        new AvroBinarySerde<>(MapTrend.class), out, JsonViews::mapTrend)),
                Duration.ofMinutes(1), true);
        assertEquals(s.gomapEvents(), Files.readAllLines(out).size());
    }
}
