package io.harbinger.streams.latency;

import com.fasterxml.jackson.databind.JsonNode;
import io.harbinger.jsonl.JsonlWriter;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recording unlike the sample, generated from a seed: 30 keys on 3 hosts over 12 windows, with log-normal,
 * bimodal, heavy-tailed (Pareto α 1.1), constant and nearly empty (1–3 events, 0 ns and 1 s latencies) shapes, errors,
 * an unaligned start and local disorder. Scored by the shared eval_quantiles.py itself.
 */
class GeneratedRecordingBacktestTest {
    @Test
    void everyWindowMatchesWithExactCountsAndOnePercent(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("generated.jsonl");
        int events = generate(input, new Random(42));
        Properties props = Backtest.driverProperties(dir.resolve("state"));
        ProcessorConfig config = ProcessorConfig.from(Backtest.asMap(props)).withGrace(Duration.ofSeconds(60));
        Path out = dir.resolve("latency.jsonl");
        Backtest.Summary s = Backtest.run(ProcessorTopology.build(config), props, input,
                List.of(new Backtest.Output<>(TopicSpecs.SYSCALL_LATENCY.name(),
                        new AvroBinarySerde<>(SyscallLatencyWindow.class), out, JsonViews::latencyWindow)),
                config.window().plus(config.grace()), true);
        assertEquals(events, s.syscallEvents());

        Process p = new ProcessBuilder("python3",
                io.harbinger.streams.SharedFiles.ROOT.resolve("eval/eval_quantiles.py").toString(), input.toString(),
                out.toString())
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), text);
        JsonNode score = JsonViews.JSON.readTree(text.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertEquals(score.get("windows").asInt(), score.get("matched").asInt(), score.toString());
        assertEquals(0, score.get("failures").asInt(), score.toString());
        assertEquals(0, score.get("count_mismatches").asInt(), score.toString());
        assertTrue(score.get("worst_rel_err").asDouble() <= 0.01, score.toString());
        assertTrue(score.get("windows").asInt() > 300, score.toString());
    }

    static int generate(Path file, Random rnd) throws Exception {
        String[] comms = {"api", "db", "cache", "nginx", "worker"};
        String[] syscalls = {"read", "write", "openat", "futex", "epoll_wait", "close"};
        long t0 = 1_767_225_600_000_000_000L + 17_123_456_789L;
        List<SyscallEvent> all = new ArrayList<>();
        int k = 0;
        for (String comm : comms) {
            for (String sc : syscalls) {
                String host = "h" + (k++ % 3);
                int shape = rnd.nextInt(5);
                for (int w = 0; w < 12; w++) {
                    int n = shape == 3 ? 1 + rnd.nextInt(3) : shape == 4 ? 50 : 5 + rnd.nextInt(3000);
                    for (int i = 0; i < n; i++) {
                        long ts = t0 + w * 60_000_000_000L + (long) (rnd.nextDouble() * 59_999_999_999L);
                        long latency = switch (shape) {
                            case 0 -> (long) Math.exp(9 + 1.5 * rnd.nextGaussian());
                            case 1 -> (long) (rnd.nextDouble() < 0.9 ? Math.exp(7 + 0.3 * rnd.nextGaussian())
                                    : Math.exp(15 + 0.5 * rnd.nextGaussian()));
                            case 2 -> (long) (1000 / Math.pow(1 - rnd.nextDouble(), 1 / 1.1));
                            case 3 -> new long[]{0, 1, 5, 1_000_000_000L}[rnd.nextInt(4)];
                            default -> 777;
                        };
                        long ret = rnd.nextDouble() < 0.05 ? -new int[]{2, 11, 4}[rnd.nextInt(3)] : 1;
                        all.add(new SyscallEvent(host, ts, 100, 101, comm, 0L, 0, sc, latency, ret, 1));
                    }
                }
            }
        }
        all.sort(Comparator.comparingLong(SyscallEvent::getTsNs));
        for (int i = 0; i + 1 < all.size(); i += 7) { // local disorder, within 2 s
            if (all.get(i + 1).getTsNs() - all.get(i).getTsNs() < 2_000_000_000L) {
                SyscallEvent a = all.get(i);
                all.set(i, all.get(i + 1));
                all.set(i + 1, a);
            }
        }
        try (JsonlWriter w = JsonlWriter.create(file)) {
            for (SyscallEvent e : all) {
                w.write(e);
            }
        }
        return all.size();
    }
}
