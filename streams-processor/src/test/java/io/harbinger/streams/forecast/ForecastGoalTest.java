package io.harbinger.streams.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forecast goal of issue 5, with {@code warn_within: 30m} and the alert rule of docs/forecast.md: zero missed
 * crossings, every crossing warned at least 20 minutes ahead, median at least 25, and no false warning on a series
 * where Prometheus's {@code predict_linear(x[30m], 1800) >= threshold for 5m} raises none (so never more false
 * warnings than it), on the shared samples and on held-out generated traces (seeds never used for tuning).
 * The Java scorer is checked against shared/eval/eval_forecast.py itself.
 */
class ForecastGoalTest {

    /** Tuning used seeds 1-8; validation seeds 1001-1010 were checked during tuning (docs/forecast.md). */
    static final long[] VALIDATION_SEEDS = {1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010};
    /** Looked at once, after the last change to the model: reported, never tuned on. */
    static final long[] HELD_OUT_SEEDS = {2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010};

    static final Path SAMPLES = Stream.of(System.getProperty("harbinger.samples"), "../../shared/samples",
                    "/work/shared/samples")
            .filter(p -> p != null && Files.isRegularFile(Path.of(p, "gomap.jsonl")))
            .map(Path::of).findFirst()
            .orElseThrow(() -> new IllegalStateException("shared/samples not found beside the repository "
                    + "(set -Dharbinger.samples=DIR)"));
    static final Path EVAL_SCRIPT = SAMPLES.resolve("../eval/eval_forecast.py").normalize();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void goalHoldsOnTheSamples() throws IOException {
        GomapTrace trace = GomapTrace.load(SAMPLES);
        ForecastEvaluation.Run run = replay(trace);
        ForecastScore.Result r = ForecastScore.score(trace, run.alerts(), 30);
        System.out.print(ForecastEvaluation.format("samples", r));
        assertGoal("samples", trace, run, r);
    }

    static ForecastEvaluation.Run replay(GomapTrace trace) {
        return ForecastEvaluation.replay(trace, EarlyWarningRule.Params.defaults(trace.threshold()),
                MapGrowthModel.Config.defaults(), false);
    }

    @Test
    void goalHoldsOnHeldOutGeneratedTraces() {
        goalHoldsOn("held-out", HELD_OUT_SEEDS);
    }

    @Test
    void goalHoldsOnValidationGeneratedTraces() {
        goalHoldsOn("validation", VALIDATION_SEEDS);
    }

    private static void goalHoldsOn(String set, long[] seeds) {
        List<String> failures = new ArrayList<>();
        List<Double> leads = new ArrayList<>();
        int fa = 0, baseFa = 0;
        for (long seed : seeds) {
            GomapTrace trace = GomapTraceGenerator.generate(seed);
            ForecastEvaluation.Run run = replay(trace);
            ForecastScore.Result r = ForecastScore.score(trace, run.alerts(), 30);
            System.out.print(ForecastEvaluation.format(set + " seed " + seed, r));
            try {
                assertGoal("seed " + seed, trace, run, r);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
            r.rows().stream().filter(ForecastScore.Row::crosses).map(ForecastScore.Row::leadMin)
                    .filter(java.util.Objects::nonNull).forEach(leads::add);
            fa += r.summary().falseAlarms();
            baseFa += r.summary().baselineFalseAlarms();
        }
        System.out.printf(set + " overall: %d crossings, min lead %s, median %s; false alarms %d (baseline %d)%n",
                leads.size(), leads.stream().min(Double::compare).orElse(null), ForecastScore.median(leads), fa, baseFa);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * The goal, per trace: no miss, min lead 20, median 25, no more false alarms than the baseline; and none at all
     * where the shape gives it away: warm-ups (they decelerate), plateaus, spikes (they revert), and caches once
     * they have been seen to purge (a first ramp looks like any leak, for us and for the baseline).
     */
    static void assertGoal(String what, GomapTrace trace, ForecastEvaluation.Run run, ForecastScore.Result r) {
        ForecastScore.Summary s = r.summary();
        assertEquals(0, s.missed(), what + ": missed crossings");
        assertNotNull(s.minLeadMin(), what + ": no crossing warned");
        assertTrue(s.minLeadMin() >= 20, what + ": min lead " + s.minLeadMin() + " < 20 min");
        assertTrue(s.medianLeadMin() >= 25, what + ": median lead " + s.medianLeadMin() + " < 25 min");
        assertTrue(s.falseAlarms() <= s.baselineFalseAlarms(),
                what + ": " + s.falseAlarms() + " false alarms, baseline " + s.baselineFalseAlarms());
        java.util.Map<GomapTrace.Key, List<long[]>> samples = trace.samplesByKey();
        for (int i = 0; i < r.rows().size(); i++) {
            ForecastScore.Row row = r.rows().get(i);
            if (!row.falseAlarm()) {
                continue;
            }
            GomapTrace.Key key = trace.truth().get(i).key();
            long firstFiring = run.alerts().stream().filter(a -> a.key().equals(key))
                    .mapToLong(ForecastScore.Alert::firedAtMs).min().orElseThrow();
            String shape = row.name();
            boolean givesItAway = shape.startsWith("warmup") || shape.startsWith("stable") || shape.startsWith("plateau")
                    || shape.startsWith("spike")
                    || (shape.startsWith("cache") && firstPurgeMs(samples.get(key)) < firstFiring);
            assertTrue(!givesItAway, what + ": false alarm on " + shape + " at "
                    + (firstFiring - samples.get(key).get(0)[0]) / 60_000.0 + " min, where the shape gives it away");
        }
    }

    /** Event time of the first drop by more than 20 % between consecutive snapshots (Long.MAX_VALUE if none). */
    static long firstPurgeMs(List<long[]> samples) {
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i)[1] < 0.8 * samples.get(i - 1)[1]) {
                return samples.get(i)[0];
            }
        }
        return Long.MAX_VALUE;
    }

    /** eval_forecast.py on our alerts.jsonl prints the same numbers as the Java port, baseline included. */
    @Test
    void javaScoringMatchesEvalForecastPy(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(EVAL_SCRIPT), "missing " + EVAL_SCRIPT);
        checkAgainstPython(SAMPLES, GomapTrace.load(SAMPLES), dir.resolve("samples"));
        GomapTrace generated = GomapTraceGenerator.generate(HELD_OUT_SEEDS[0]);
        Path data = dir.resolve("generated");
        generated.write(data);
        checkAgainstPython(data, GomapTrace.load(data), dir.resolve("generated-out"));
    }

    private static void checkAgainstPython(Path data, GomapTrace trace, Path out) throws Exception {
        ForecastEvaluation.Run run = ForecastEvaluation.replay(trace,
                EarlyWarningRule.Params.defaults(trace.threshold()), MapGrowthModel.Config.defaults(), false);
        ForecastEvaluation.write(run, out);
        ForecastScore.Result ours = ForecastScore.score(trace, run.alerts(), 30);

        Process p = new ProcessBuilder("python3", EVAL_SCRIPT.toString(), data.toString(),
                out.resolve("alerts.jsonl").toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "eval_forecast.py timed out");
        assertEquals(0, p.exitValue(), "eval_forecast.py failed: " + text);
        String[] lines = text.strip().split("\n");
        JsonNode rows = JSON.readTree(lines[lines.length - 2]).get("series");
        JsonNode summary = JSON.readTree(lines[lines.length - 1]);

        ForecastScore.Summary s = ours.summary();
        assertEquals(s.missed(), summary.get("missed").asInt(), "missed");
        assertEquals(s.falseAlarms(), summary.get("false_alarms").asInt(), "false alarms");
        assertEquals(s.baselineFalseAlarms(), summary.get("baseline_false_alarms").asInt(), "baseline false alarms");
        for (int i = 0; i < ours.rows().size(); i++) {
            ForecastScore.Row row = ours.rows().get(i);
            JsonNode py = rows.get(i);
            assertEquals(row.name(), py.get("name").asText());
            if (row.crosses()) {
                assertEquals(row.leadMin(), py.get("lead_min").isNull() ? null : py.get("lead_min").asDouble(), 0.11,
                        row.name() + " lead");
                assertEquals(row.baselineLeadMin(), py.get("baseline_lead_min").isNull() ? null
                        : py.get("baseline_lead_min").asDouble(), 0.11, row.name() + " baseline lead");
            } else {
                assertEquals(row.falseAlarm(), py.get("false_alarm").asBoolean(), row.name() + " false alarm");
                assertEquals(row.baselineFalseAlarm(), py.get("baseline_false_alarm").asBoolean(),
                        row.name() + " baseline false alarm");
            }
        }
    }
}
