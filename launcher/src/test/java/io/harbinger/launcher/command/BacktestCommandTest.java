package io.harbinger.launcher.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backtest command over the shared samples, scored by the shared evaluation scripts themselves
 * (python3 ../shared/eval/*.py), as a user would run them.
 */
class BacktestCommandTest {
    /** shared/ beside the repository (CI's clone) or at /work/shared. */
    static final Path SHARED = java.util.stream.Stream.of("../../shared", "/work/shared")
            .filter(p -> Files.isDirectory(Path.of(p, "samples"))).map(p -> Path.of(p).toAbsolutePath().normalize())
            .findFirst().orElseThrow(() -> new IllegalStateException("shared/ not found beside the repository"));
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void syscallSampleScoresExactCountsAndOnePercent(@TempDir Path out) throws Exception {
        assertEquals(0, run("--input", SHARED.resolve("samples/syscall.jsonl").toString(), "--out", out.toString()));
        JsonNode score = lastJsonLine(python(SHARED.resolve("eval/eval_quantiles.py").toString(),
                SHARED.resolve("samples/syscall.jsonl").toString(), out.resolve("latency.jsonl").toString()));
        assertEquals(score.get("windows").asInt(), score.get("matched").asInt(), score.toString());
        assertEquals(0, score.get("failures").asInt(), score.toString());
        assertEquals(0, score.get("count_mismatches").asInt(), score.toString());
        assertTrue(score.get("worst_rel_err").asDouble() <= 0.01, score.toString());
    }

    @Test
    void gomapSampleWarnsEarlyWithoutFalseAlarms(@TempDir Path out) throws Exception {
        assertEquals(0, run("--input", SHARED.resolve("samples/gomap.jsonl").toString(), "--out", out.toString()));
        JsonNode summary = lastJsonLine(python(SHARED.resolve("eval/eval_forecast.py").toString(),
                SHARED.resolve("samples").toString(), out.resolve("alerts.jsonl").toString()));
        assertEquals(0, summary.get("missed").asInt(), summary.toString());
        assertTrue(summary.get("min_lead_min").asDouble() >= 20, summary.toString());
        assertTrue(summary.get("median_lead_min").asDouble() >= 25, summary.toString());
        assertTrue(summary.get("false_alarms").asInt() <= summary.get("baseline_false_alarms").asInt(), summary.toString());
        assertTrue(Files.size(out.resolve("maptrends.jsonl")) > 0);
    }

    @Test
    void badInputIsOneLineAndNonZero(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"type\":\"syscall\",\"host\":\"h\"}\n");
        StringWriter err = new StringWriter();
        int code = new CommandLine(new BacktestCommand()).setErr(new PrintWriter(err))
                .execute("--input", bad.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, code);
        assertEquals(2, run("--input", dir.resolve("missing.jsonl").toString(), "--out", dir.toString()));
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "rules:\n  - name: x\n    metric: nope\n");
        assertEquals(2, run("--input", SHARED.resolve("samples/gomap.jsonl").toString(), "--out", dir.toString(),
                "--rules", rules.toString()));
    }

    static int run(String... args) {
        return new CommandLine(new BacktestCommand()).execute(args);
    }

    static String python(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(concat("python3", args)).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    static JsonNode lastJsonLine(String text) throws IOException {
        List<String> lines = text.lines().filter(l -> l.startsWith("{")).toList();
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
