package io.harbinger.streams.forecast;

import io.harbinger.schema.GoMapEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cost of the growth model per snapshot, side by side in one run: the model as the processor uses it (decoded from
 * and encoded to its store bytes around every snapshot), the model kept in memory, and a plain robust Holt update
 * ({@link LatencyTrendModel}) as the floor. Input: generated traces (all shapes, 5 s to 2 min sampling).
 * Run with bench/forecast/model-cost.sh.
 */
final class MapGrowthModelBench {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<GoMapEvent> events = new java.util.ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            events.addAll(GomapTraceGenerator.generate(seed).events());
        }
        System.out.printf("%d snapshots, 75 maps, %d rounds after 2 warm-up rounds%n", events.size(), rounds);
        long[] store = new long[3];
        int bytesPerModel = 0;
        for (int r = -2; r < rounds; r++) {
            long t0 = System.nanoTime();
            Map<String, byte[]> bytes = new HashMap<>();
            for (GoMapEvent e : events) {
                String k = e.getHost() + e.getPid() + e.getMapAddr();
                byte[] b = bytes.get(k);
                MapGrowthModel m = b == null ? new MapGrowthModel() : MapGrowthModel.fromBytes(b);
                m.observe(e.getTsNs() / 1_000_000, e.getCount());
                m.etaMs(1_000_000);
                bytes.put(k, m.toBytes());
            }
            long t1 = System.nanoTime();
            Map<String, MapGrowthModel> models = new HashMap<>();
            for (GoMapEvent e : events) {
                MapGrowthModel m = models.computeIfAbsent(e.getHost() + e.getPid() + e.getMapAddr(), x -> new MapGrowthModel());
                m.observe(e.getTsNs() / 1_000_000, e.getCount());
                m.etaMs(1_000_000);
            }
            long t2 = System.nanoTime();
            Map<String, LatencyTrendModel> holt = new HashMap<>();
            for (GoMapEvent e : events) {
                LatencyTrendModel m = holt.computeIfAbsent(e.getHost() + e.getPid() + e.getMapAddr(), x -> new LatencyTrendModel());
                m.observe(e.getTsNs() / 1_000_000, e.getCount());
            }
            long t3 = System.nanoTime();
            if (r >= 0) {
                store[0] += t1 - t0;
                store[1] += t2 - t1;
                store[2] += t3 - t2;
            }
            bytesPerModel = bytes.values().iterator().next().length;
        }
        double n = (double) events.size() * rounds;
        double withBytes = store[0] / n, inMemory = store[1] / n, plainHolt = store[2] / n;
        System.out.printf("growth model, store round trip per snapshot: %8.0f ns%n", withBytes);
        System.out.printf("growth model, in memory:                     %8.0f ns%n", inMemory);
        System.out.printf("plain robust Holt (LatencyTrendModel):       %8.0f ns%n", plainHolt);
        System.out.printf("ratio store round trip / plain Holt: %.1f; snapshots/s on one core: %.0f%n",
                withBytes / plainHolt, 1e9 / withBytes);
        System.out.printf("state bytes per map: %d%n", bytesPerModel);
    }
}
