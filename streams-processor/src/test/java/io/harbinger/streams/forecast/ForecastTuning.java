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
            System.out.print(ForecastEvaluation.format("seed " + seed, ForecastEvaluation.evaluate(
                    GomapTraceGenerator.generate(seed), c)));
        }
    }
}
