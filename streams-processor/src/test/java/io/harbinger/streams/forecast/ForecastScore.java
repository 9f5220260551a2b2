package io.harbinger.streams.forecast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A port of shared/eval/eval_forecast.py's scoring (same episode rule, same rounding, same upper median). */
final class ForecastScore {

    record Alert(GomapTrace.Key key, String severity, long firedAtMs) {
    }

    record Row(String name, boolean crosses, Double leadMin, Double baselineLeadMin, boolean falseAlarm,
               boolean baselineFalseAlarm) {
    }

    record Summary(Double minLeadMin, Double medianLeadMin, int missed, int falseAlarms, Double baselineMinLeadMin,
                   Double baselineMedianLeadMin, int baselineFalseAlarms, int baselineMissed, int crossing, int quiet) {
    }

    record Result(List<Row> rows, Summary summary) {
    }

    private ForecastScore() {
    }

    static Result score(GomapTrace trace, List<Alert> alerts, long horizonMin) {
        Map<GomapTrace.Key, List<Alert>> byKey = new HashMap<>();
        for (Alert a : alerts) {
            byKey.computeIfAbsent(a.key(), k -> new ArrayList<>()).add(a);
        }
        byKey.values().forEach(l -> l.sort(Comparator.comparingLong(Alert::firedAtMs)));
        Map<GomapTrace.Key, List<long[]>> samples = trace.samplesByKey();
        List<Row> rows = new ArrayList<>();
        List<Double> ours = new ArrayList<>(), base = new ArrayList<>();
        int missed = 0, fa = 0, baseFa = 0, baseMissed = 0, crossing = 0, quiet = 0;
        for (GomapTrace.TruthSeries s : trace.truth()) {
            Long cross = s.crossesAtMs();
            Long start = episodeStart(byKey.getOrDefault(s.key(), List.of()), cross);
            Long b = PredictLinearBaseline.firesAtMs(samples.getOrDefault(s.key(), List.of()), trace.threshold(),
                    horizonMin * 60);
            if (cross != null) {
                crossing++;
                Double lead = start == null || start > cross ? null : round1((cross - start) / 60000.0);
                Double bl = b == null || b > cross ? null : round1((cross - b) / 60000.0);
                if (lead == null) {
                    missed++;
                } else {
                    ours.add(lead);
                }
                if (bl == null) {
                    baseMissed++;
                } else {
                    base.add(bl);
                }
                rows.add(new Row(s.name(), true, lead, bl, false, false));
            } else {
                quiet++;
                fa += start != null ? 1 : 0;
                baseFa += b != null ? 1 : 0;
                rows.add(new Row(s.name(), false, null, null, start != null, b != null));
            }
        }
        return new Result(rows, new Summary(min(ours), median(ours), missed, fa, min(base), median(base), baseFa,
                baseMissed, crossing, quiet));
    }

    /** Start of the episode open at {@code atMs}; with atMs null, the first firing at all. */
    static Long episodeStart(List<Alert> sorted, Long atMs) {
        Long start = null;
        for (Alert a : sorted) {
            if (atMs != null && a.firedAtMs() > atMs) {
                break;
            }
            String sev = a.severity().toUpperCase();
            if (sev.equals("WARNING") || sev.equals("CRITICAL")) {
                if (start == null) {
                    start = a.firedAtMs();
                    if (atMs == null) {
                        return start;
                    }
                }
            } else if (sev.equals("RESOLVED")) {
                start = null;
            }
        }
        return start;
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0; // python round(): banker's at exact .x5; leads are whole seconds, close enough
    }

    private static Double min(List<Double> xs) {
        return xs.stream().min(Double::compare).orElse(null);
    }

    static Double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return null;
        }
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        return s.get(s.size() / 2);
    }
}
