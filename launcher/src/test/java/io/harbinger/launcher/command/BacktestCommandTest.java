package io.harbinger.launcher.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.launcher.backtest.BacktestService;
import io.harbinger.streams.backtest.Backtest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * Events that appear after their window closed (beyond --grace) are dropped as live, but counted and named: the
     * summary's counts are exact, the latency results leave them out, and the command says so on stderr.
     */
    @Test
    void lateEventsAreDroppedCountedAndNamed(@TempDir Path dir) throws Exception {
        List<String> syscalls = Files.readAllLines(SHARED.resolve("samples/syscall.jsonl")).subList(0, 2000);
        List<String> maps = Files.readAllLines(SHARED.resolve("samples/gomap.jsonl"));
        List<String> lines = new ArrayList<>(syscalls.subList(0, 1000));
        for (String l : syscalls.subList(1000, 2000)) { // three minutes later
            lines.add(shiftTs(l, 180_000_000_000L));
        }
        lines.addAll(syscalls.subList(0, 7)); // late by three minutes: their window closed two minutes before
        lines.addAll(maps);
        String lastMap = maps.get(maps.size() - 1);
        lines.add(shiftTs(lastMap, -600_000_000_000L)); // ten minutes older than that map's newest snapshot
        lines.add(shiftTs(lastMap, -660_000_000_000L));
        Path input = dir.resolve("late.jsonl");
        Files.write(input, lines);

        Backtest.Summary s = new BacktestService(input, dir.resolve("out"),
                RuleFile.defaults(), Duration.ofSeconds(60), true).run();
        assertEquals(lines.size(), s.events());
        assertEquals(7, s.lateSyscallEvents());
        assertEquals(2, s.lateMapSnapshots());
        long counted = 0;
        for (String l : Files.readAllLines(dir.resolve("out/latency.jsonl"))) {
            counted += JSON.readTree(l).get("count").asLong();
        }
        assertEquals(2000, counted);
        assertEquals(maps.size(), Files.readAllLines(dir.resolve("out/maptrends.jsonl")).size(),
                "one trend per snapshot, none for the late ones");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, run("--input", input.toString(), "--out", dir.resolve("out2").toString()));
        } finally {
            System.setErr(saved);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("dropped as late: 7 syscall events"), said);
        assertTrue(said.contains("2 Go map snapshots"), said);
    }

    /** The line with ts_ns moved by {@code deltaNs}. */
    static String shiftTs(String line, long deltaNs) throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(line);
        n.put("ts_ns", n.get("ts_ns").asLong() + deltaNs);
        return JSON.writeValueAsString(n);
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
        assertEquals(2, run("--input", dir.toString(), "--out", dir.resolve("o").toString()));
        assertEquals(2, run("--input", SHARED.resolve("samples/syscall.jsonl").toString(), "--out", bad.toString()));
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
