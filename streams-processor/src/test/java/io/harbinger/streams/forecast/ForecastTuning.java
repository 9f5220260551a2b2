package io.harbinger.streams.forecast;

import java.nio.file.Path;

/** Dev entry point: prints the per-series table on the samples and on generated traces of the given seeds. */
final class ForecastTuning {
    public static void main(String[] args) throws Exception {
        MapGrowthModel.Config c = MapGrowthModel.Config.defaults();
        System.out.print(ForecastEvaluation.format("samples", ForecastEvaluation.evaluate(
                GomapTrace.load(Path.of("/work/shared/samples")), c)));
        for (String s : args) {
            long seed = Long.parseLong(s);
            long t0 = System.nanoTime();
            GomapTrace trace = GomapTraceGenerator.generate(seed);
            long t1 = System.nanoTime();
            var run = ForecastEvaluation.replay(trace, EarlyWarningRule.Params.defaults(trace.threshold()), c, false);
            long t2 = System.nanoTime();
            var score = ForecastScore.score(trace, run.alerts(), 30);
            long t3 = System.nanoTime();
            System.out.print(ForecastEvaluation.format("seed " + seed + " (" + trace.events().size() + " snapshots; ms: generate "
                    + (t1 - t0) / 1_000_000 + " replay " + (t2 - t1) / 1_000_000 + " score+baseline " + (t3 - t2) / 1_000_000 + ")", score));
        }
    }
}
