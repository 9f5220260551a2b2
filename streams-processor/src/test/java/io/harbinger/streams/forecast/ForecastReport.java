package io.harbinger.streams.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dev entry point for docs/forecast.md: per shape, over the given seeds, our lead (min / median) and false alarms
 * beside the predict_linear baseline's. Args: seeds.
 */
final class ForecastReport {
    public static void main(String[] args) {
        Map<String, List<ForecastScore.Row>> byShape = new TreeMap<>();
        for (String a : args) {
            GomapTrace trace = GomapTraceGenerator.generate(Long.parseLong(a));
            ForecastScore.Result r = ForecastEvaluation.evaluate(trace, MapGrowthModel.Config.defaults());
            for (ForecastScore.Row row : r.rows()) {
                String shape = row.name().substring(0, row.name().indexOf("-" + a + "-"));
                byShape.computeIfAbsent(shape, k -> new ArrayList<>()).add(row);
            }
        }
        System.out.println("| shape | series | our lead min / median | baseline lead min / median (missed) | our false alarms | baseline false alarms |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (Map.Entry<String, List<ForecastScore.Row>> e : byShape.entrySet()) {
            List<ForecastScore.Row> rows = e.getValue();
            if (rows.get(0).crosses() || rows.stream().anyMatch(ForecastScore.Row::crosses)) {
                List<Double> ours = new ArrayList<>(), base = new ArrayList<>();
                int baseMissed = 0, missed = 0;
                for (ForecastScore.Row row : rows) {
                    if (!row.crosses()) {
                        continue;
                    }
                    if (row.leadMin() == null) missed++; else ours.add(row.leadMin());
                    if (row.baselineLeadMin() == null) baseMissed++; else base.add(row.baselineLeadMin());
                }
                System.out.printf("| %s | %d | %s / %s%s | %s / %s (%d) | | |%n", e.getKey(), rows.size(),
                        ours.stream().min(Double::compare).orElse(null), ForecastScore.median(ours),
                        missed > 0 ? " (" + missed + " missed)" : "",
                        base.stream().min(Double::compare).orElse(null), ForecastScore.median(base), baseMissed);
            } else {
                System.out.printf("| %s | %d | | | %d | %d |%n", e.getKey(), rows.size(),
                        rows.stream().filter(ForecastScore.Row::falseAlarm).count(),
                        rows.stream().filter(ForecastScore.Row::baselineFalseAlarm).count());
            }
        }
    }
}
