package io.harbinger.streams.forecast;

import io.harbinger.schema.GoMapEvent;

import java.nio.file.Path;
import java.util.OptionalLong;

/** Dev entry point: per-minute model state of one series. Args: SEED|samples NAME_PREFIX [FROM_MIN TO_MIN]. */
final class ForecastDebug {
    public static void main(String[] args) throws Exception {
        GomapTrace trace = args[0].equals("samples") ? GomapTrace.load(Path.of("/work/shared/samples"))
                : GomapTraceGenerator.generate(Long.parseLong(args[0]));
        GomapTrace.TruthSeries s = trace.truth().stream().filter(x -> x.name().startsWith(args[1])).findFirst().orElseThrow();
        double from = args.length > 2 ? Double.parseDouble(args[2]) : 0, to = args.length > 3 ? Double.parseDouble(args[3]) : 1e9;
        MapGrowthModel m = new MapGrowthModel();
        EarlyWarningRule rule = new EarlyWarningRule(EarlyWarningRule.Params.defaults(trace.threshold()));
        long t0 = -1, lastMin = -1;
        System.out.println(s + " crosses at min " + (s.crossesAtMs() == null ? null : "?"));
        for (GoMapEvent e : trace.events()) {
            if (!GomapTrace.Key.of(e).equals(s.key())) continue;
            long ts = e.getTsNs() / 1_000_000;
            if (t0 < 0) t0 = ts - ts % 60_000;
            m.observe(ts, e.getCount());
            OptionalLong eta = m.etaMs(trace.threshold());
            var tr = rule.evaluate(m.tsMs(), e.getCount(), eta);
            double min = (ts - t0) / 60000.0;
            if (s.crossesAtMs() != null && ts == s.crossesAtMs()) System.out.println("   CROSSES at " + min);
            if ((min >= from && min <= to && (long) min != lastMin) || tr.isPresent()) {
                lastMin = (long) min;
                System.out.printf("%6.1f count %8d level %9.0f trend %8.0f phi %.3f sd %6.0f %-12s w %3.0f%s eta %s %s%n", min,
                        e.getCount(), m.level(), m.trendPerMin(), m.dampingPerMin(), m.residualSd(), m.regime(), m.lastWindowMin(), m.excursionActive() ? " EXC" : "    ",
                        eta.isPresent() ? String.format("%.1f", (eta.getAsLong() - ts) / 60000.0) : "-",
                        tr.map(x -> "<<< " + x.severity()).orElse(""));
            }
        }
    }
}
