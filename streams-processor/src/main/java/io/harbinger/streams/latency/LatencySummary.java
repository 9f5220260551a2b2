package io.harbinger.streams.latency;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;

import java.io.IOException;
import java.util.Arrays;

/**
 * A closed or merged latency aggregate: a DDSketch plus exact count, errors per errno and max. What windows publish
 * and rollups merge (sketches merge exactly as the windows do).
 */
public final class LatencySummary {
    private final DDSketch sketch;
    private long count;
    private long errors;
    private long maxNs;
    private int[] errnos;
    private long[] errnoCounts;

    LatencySummary(DDSketch sketch, long count, long errors, long maxNs, int[] errnos, long[] errnoCounts) {
        this.sketch = sketch;
        this.count = count;
        this.errors = errors;
        this.maxNs = maxNs;
        this.errnos = errnos;
        this.errnoCounts = errnoCounts;
    }

    public LatencySummary merge(LatencySummary other) {
        sketch.mergeWith(other.sketch);
        count += other.count;
        errors += other.errors;
        maxNs = Math.max(maxNs, other.maxNs);
        for (int i = 0; i < other.errnos.length; i++) {
            int at = -1;
            for (int j = 0; j < errnos.length; j++) {
                if (errnos[j] == other.errnos[i]) {
                    at = j;
                }
            }
            if (at < 0) {
                errnos = Arrays.copyOf(errnos, errnos.length + 1);
                errnoCounts = Arrays.copyOf(errnoCounts, errnoCounts.length + 1);
                at = errnos.length - 1;
                errnos[at] = other.errnos[i];
            }
            errnoCounts[at] += other.errnoCounts[i];
        }
        return this;
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

    /** The latency at quantile {@code q} (DDSketch: rank q·(n−1)), whole ns, never above the exact max. */
    public long quantileNs(double q) {
        if (sketch.isEmpty()) {
            return 0;
        }
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

    /** The sketch in DDSketch's own encoding (with its index mapping), as published on SyscallLatencyWindow.sketch. */
    public byte[] encodedSketch() {
        // encode(), not serialize(): serialize() writes the protobuf form, which decode() (of()) cannot read
        com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput out =
                com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            sketch.encode(out, false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // cannot happen writing to memory
        }
        return out.trimmedCopy();
    }

    /** Summary transport between instances: counters plus the encoded sketch. */
    public static LatencySummary of(byte[] encodedSketch, LatencySketches sketches, long count, long errors, long maxNs,
                                    int[] errnos, long[] errnoCounts) throws IOException {
        DDSketch s = DDSketch.decode(ByteArrayInput.wrap(encodedSketch), sketches.store());
        return new LatencySummary(s, count, errors, maxNs, errnos, errnoCounts);
    }
}
