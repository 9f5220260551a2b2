package io.harbinger.streams.forecast;

import io.harbinger.schema.GoMapEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * Seeded generator of gomap recordings with ground truth, in the samples' format, covering the shapes the
 * forecast must tell apart: leaks (linear at several rates, exponential, quadratic, stepwise, late, slow ones that
 * cross just after the recording ends), warm-ups that decelerate to a plateau (some close under the threshold,
 * some above it), noisy plateaus with outliers, sawtooth caches that purge (some with peaks close to the
 * threshold, one that stops purging and leaks), transient spikes that revert. Every series gets its own sampling
 * interval (5 s to 60 s) with jitter, some get sampling gaps, and a few snapshots arrive a little late.
 *
 * <p>Truth: a series crosses at its first snapshot with count at or over the threshold (what eval_forecast.py
 * treats as the crossing), null when none does. The same seed always gives the same trace.
 */
public final class GomapTraceGenerator {

    static final double THRESHOLD = 1_000_000;
    static final long T0_MS = 1_767_225_600_000L;
    static final double DURATION_MIN = 240;

    private final Random rnd;
    private final long seed;
    private final List<GoMapEvent> events = new ArrayList<>();
    private final List<GomapTrace.TruthSeries> truth = new ArrayList<>();
    private int index;

    private GomapTraceGenerator(long seed) {
        this.seed = seed;
        this.rnd = new Random(seed);
    }

    static GomapTrace generate(long seed) {
        return new GomapTraceGenerator(seed).build();
    }

    private GomapTrace build() {
        double thr = THRESHOLD, d = DURATION_MIN;
        // leaks
        for (int i = 0; i < 3; i++) {
            double s0 = u(20_000, 400_000), tc = u(60, d - 10), rate = (thr - s0) / tc;
            add("leak-linear", t -> s0 + rate * t, noise(0.002, 0.02));
        }
        {
            double base = u(0, 200_000), tc = u(90, d - 10), r = Math.log(2) / u(25, 60);
            double a = (thr - base) * Math.exp(-r * tc);
            add("leak-exponential", t -> base + a * Math.exp(r * t), noise(0.002, 0.01));
        }
        {
            double s0 = u(50_000, 300_000), tc = u(90, d - 10), c = (thr - s0) / (tc * tc);
            add("leak-quadratic", t -> s0 + c * t * t, noise(0.002, 0.01));
        }
        for (int i = 0; i < 2; i++) {
            double s0 = u(50_000, 300_000), tc = u(70, d - 10), period = u(5, 20);
            double step = (thr - s0) / tc * period;
            add("leak-steps", t -> s0 + step * Math.floor(t / period), noise(0.001, 0.005));
        }
        for (int i = 0; i < 2; i++) {
            double level = u(100_000, 600_000), onset = u(30, d - 100), after = u(45, 85);
            double rate = (thr - level) / after;
            add("leak-late", t -> t < onset ? level : level + rate * (t - onset), noise(0.002, 0.015));
        }
        for (int i = 0; i < 2; i++) {
            // its noisy snapshots start crossing 40-70 min after the recording ends (noise reaches the threshold
            // about two sd before the mean does): at the end the ETA is beyond the 30 min horizon
            double s0 = u(100_000, 500_000), sd = noise(0.002, 0.01), tc = d + u(40, 70);
            double rate = (thr - 2 * sd - s0) / tc;
            add("leak-after-horizon", t -> s0 + rate * t, sd);
        }
        // warm-ups
        for (int i = 0; i < 2; i++) {
            double p = u(0.3, 0.75) * thr, tau = u(4, 25);
            add("warmup-plateau", t -> p * (1 - Math.exp(-t / tau)), noise(0.002, 0.02));
        }
        for (int i = 0; i < 2; i++) {
            double sd = u(0.002, 0.008) * thr, p = u(0.85, 0.95) * thr, tau = u(5, 30);
            double plateau = Math.min(p, thr - 5 * sd);
            add("warmup-near", t -> plateau * (1 - Math.exp(-t / tau)), sd);
        }
        {
            // a restart mid-recording: the map empties and warms up again to its old plateau
            double p = u(0.4, 0.8) * thr, tau = u(4, 20), restart = u(60, d - 60);
            add("warmup-restart", t -> t < restart ? p * (1 - Math.exp(-t / tau))
                    : p * (1 - Math.exp(-(t - restart) / tau)), noise(0.002, 0.01));
        }
        {
            // decelerating but to a plateau above the threshold: it does cross
            double p = u(1.15, 1.5) * thr, tc = u(80, d - 20), tau = tc / -Math.log(1 - thr / p);
            add("warmup-over", t -> p * (1 - Math.exp(-t / tau)), noise(0.002, 0.01));
        }
        // plateaus
        for (int i = 0; i < 2; i++) {
            double level = u(200_000, 700_000), sd = level * u(0.01, 0.05);
            double plateau = Math.min(level, thr - 6 * sd);
            add("plateau-noisy", t -> plateau + (rnd.nextDouble() < 0.01 ? plateau * u(0.1, 0.2) : 0), sd);
        }
        // caches
        for (int i = 0; i < 2; i++) {
            double low = u(0, 100_000), peak = u(0.3, 0.8) * thr, period = u(15, 45), phase = u(0, period);
            add("cache-sawtooth", sawtooth(low, peak, period, phase, Double.MAX_VALUE), noise(0.001, 0.01));
        }
        {
            double low = u(0, 100_000), peak = u(0.85, 0.93) * thr, period = u(20, 45), phase = u(0, period);
            add("cache-sawtooth-near", sawtooth(low, peak, period, phase, Double.MAX_VALUE), noise(0.001, 0.005));
        }
        {
            // purges a few times, then stops purging and keeps growing at its ramp rate; it crosses 40-70 min
            // after passing its old peak (sooner cannot be told from the purging it did before)
            double low = u(0, 50_000), peak = u(0.3, 0.5) * thr, rate = (thr - peak) / u(40, 70);
            double period = (peak - low) / rate;
            double stop = period * Math.floor(u(60, d - 120) / period);
            add("cache-stops-purging", sawtooth(low, peak, period, 0, stop), noise(0.001, 0.005));
        }
        // spikes
        for (int i = 0; i < 2; i++) {
            double level = u(200_000, 550_000);
            double[][] spikes = new double[1 + rnd.nextInt(2)][];
            for (int k = 0; k < spikes.length; k++) {
                double start = u(20 + k * (d / spikes.length), (k + 1) * (d / spikes.length) - 30);
                spikes[k] = new double[] {start, u(1, 8), u(0, 8), u(1, 10), u(150_000, Math.min(400_000, thr - level - 150_000))};
            }
            add("spike-revert", t -> {
                double v = level;
                for (double[] s : spikes) {
                    double x = t - s[0];
                    if (x >= 0 && x < s[1]) {
                        v += s[4] * x / s[1];
                    } else if (x >= s[1] && x < s[1] + s[2]) {
                        v += s[4];
                    } else if (x >= s[1] + s[2] && x < s[1] + s[2] + s[3]) {
                        v += s[4] * (1 - (x - s[1] - s[2]) / s[3]);
                    }
                }
                return v;
            }, noise(0.002, 0.01));
        }
        events.sort(Comparator.comparingLong(e -> e.getTsNs() + lateness(e)));
        return new GomapTrace(thr, List.copyOf(events), List.copyOf(truth));
    }

    /** Ramps from low to peak every period (phase shifts the first purge), purging until stopAt minutes. */
    private static DoubleUnaryOperator sawtooth(double low, double peak, double period, double phase, double stopAt) {
        return t -> {
            double x = t + phase;
            double cyc = Math.floor(x / period);
            double lastPurge = cyc * period - phase;
            if (t >= stopAt) {
                double stopPurge = Math.floor((stopAt + phase) / period) * period - phase;
                lastPurge = Math.min(lastPurge, stopPurge);
            }
            return low + (peak - low) * (t - Math.max(lastPurge, -phase)) / period;
        };
    }

    private double u(double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    private double noise(double loFrac, double hiFrac) {
        return u(loFrac, hiFrac) * THRESHOLD;
    }

    // a few snapshots arrive up to 20 s late (kept in a side table: the sort key, not the event time)
    private final java.util.IdentityHashMap<GoMapEvent, Long> late = new java.util.IdentityHashMap<>();

    private long lateness(GoMapEvent e) {
        return late.getOrDefault(e, 0L);
    }

    private void add(String shape, DoubleUnaryOperator mean, double noiseSd) {
        int i = index++;
        String name = shape + "-" + seed + "-" + i;
        String host = "host-" + (i % 5);
        int pid = 5000 + i;
        long mapAddr = 824634769408L + 4096L * i;
        double[] intervals = {5, 10, 10, 15, 30, 60, 120};
        double intervalS = intervals[rnd.nextInt(intervals.length)];
        List<double[]> gaps = new ArrayList<>();
        if (rnd.nextDouble() < 0.35) {
            for (int g = 0, n = 1 + rnd.nextInt(3); g < n; g++) {
                double start = u(10, DURATION_MIN - 20);
                gaps.add(new double[] {start, start + u(3, 15)});
            }
        }
        Long crosses = null;
        for (double s = 0; s <= DURATION_MIN * 60; s += intervalS) {
            double jittered = Math.max(0, s + (rnd.nextDouble() - 0.5) * 0.4 * intervalS);
            double tMin = jittered / 60;
            boolean inGap = false;
            for (double[] g : gaps) {
                inGap |= tMin >= g[0] && tMin < g[1];
            }
            double v = mean.applyAsDouble(tMin) + rnd.nextGaussian() * noiseSd;
            if (inGap) {
                continue;
            }
            long count = Math.max(0, Math.round(v));
            long tsMs = T0_MS + Math.round(jittered * 1000);
            if (count >= THRESHOLD && crosses == null) {
                crosses = tsMs;
            }
            int b = count <= 8 ? 0 : (int) Math.ceil(Math.log(count / 6.5) / Math.log(2));
            GoMapEvent e = GoMapEvent.newBuilder().setHost(host).setTsNs(tsMs * 1_000_000L).setPid(pid)
                    .setComm(("svc-" + shape).substring(0, Math.min(15, 4 + shape.length())))
                    .setMapAddr(mapAddr).setGoVersion("go1.19.8").setCount(count).setLog2Buckets(b)
                    .setOverflowBuckets(Math.round((1L << b) * 0.02 * rnd.nextDouble())).build();
            events.add(e);
            if (rnd.nextDouble() < 0.01) {
                late.put(e, (long) (rnd.nextDouble() * 20_000) * 1_000_000L);
            }
        }
        truth.add(new GomapTrace.TruthSeries(name, new GomapTrace.Key(host, pid, mapAddr), crosses));
    }

    /** Writes the trace of {@code seed} as DIR/gomap.jsonl and DIR/gomap.truth.json (shared/samples' layout). */
    public static void writeTrace(long seed, Path dir) throws IOException {
        generate(seed).write(dir);
    }

    /** {@code GomapTraceGenerator SEED OUT_DIR}: writes OUT_DIR/gomap.jsonl and OUT_DIR/gomap.truth.json. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: GomapTraceGenerator SEED OUT_DIR");
            System.exit(2);
        }
        generate(Long.parseLong(args[0])).write(Path.of(args[1]));
    }
}
