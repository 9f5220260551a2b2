package io.harbinger.streams.latency;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.harbinger.schema.SyscallEvent;

import java.util.Arrays;

/**
 * Running aggregate of one latency key in one window: a DDSketch of latencies weighted by {@code sample_weight},
 * the exact weighted count, error count with a per-errno breakdown, and the exact maximum. Mutable on purpose:
 * the window aggregator updates it in place. Errnos are kept in two small parallel arrays because a key sees
 * only a handful of distinct errnos.
 */
public final class LatencyAggregate {
    final DDSketch sketch;
    long count;
    long errors;
    long maxNs;
    int[] errnos = new int[0];
    long[] errnoCounts = new long[0];

    public LatencyAggregate(DDSketch sketch) {
        this.sketch = sketch;
    }

    public LatencyAggregate add(SyscallEvent e) {
        int w = e.getSampleWeight();
        long latency = e.getLatencyNs();
        sketch.accept(latency, w);
        count += w;
        if (latency > maxNs) {
            maxNs = latency;
        }
        long ret = e.getRet();
        if (ret < 0) {
            errors += w;
            addErrno((int) Math.min(-ret, Integer.MAX_VALUE), w);
        }
        return this;
    }

    /** Folds another aggregate (of the same layout) into this one: rollups and cross-instance merges. */
    public LatencyAggregate merge(LatencyAggregate other) {
        sketch.mergeWith(other.sketch);
        count += other.count;
        errors += other.errors;
        maxNs = Math.max(maxNs, other.maxNs);
        for (int i = 0; i < other.errnos.length; i++) {
            addErrno(other.errnos[i], other.errnoCounts[i]);
        }
        return this;
    }

    void addErrno(int errno, long n) {
        for (int i = 0; i < errnos.length; i++) {
            if (errnos[i] == errno) {
                errnoCounts[i] += n;
                return;
            }
        }
        errnos = Arrays.copyOf(errnos, errnos.length + 1);
        errnoCounts = Arrays.copyOf(errnoCounts, errnoCounts.length + 1);
        errnos[errnos.length - 1] = errno;
        errnoCounts[errnoCounts.length - 1] = n;
    }

    public long count() {
        return count;
    }

    public long errors() {
        return errors;
    }

    public long maxNs() {
        return maxNs;
    }

    public DDSketch sketch() {
        return sketch;
    }

    /** The latency at quantile {@code q}, rounded to whole ns; 0 for an empty aggregate. */
    public long quantileNs(double q) {
        if (sketch.isEmpty()) {
            return 0;
        }
        // Never report above the exact maximum (the top bin's representative value may exceed it).
        return Math.min(Math.round(sketch.getValueAtQuantile(q)), maxNs);
    }

    public int errnoCount() {
        return errnos.length;
    }

    public int errno(int i) {
        return errnos[i];
    }

    public long errnoTotal(int i) {
        return errnoCounts[i];
    }
}
