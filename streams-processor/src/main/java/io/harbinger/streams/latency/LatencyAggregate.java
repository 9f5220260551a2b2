package io.harbinger.streams.latency;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.store.Store;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.serde.WireFormatException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The running aggregate of one latency key in one open window, kept <em>as its serialized bytes</em>: adding an event
 * increments a counter in place, so the window store's read-modify-write per event costs a bounded copy instead of
 * decoding and re-encoding a sketch (which dominated the topology's cost: see docs/benchmarks.md).
 *
 * <p>The bins are DDSketch bins (the {@link LatencySketches} mapping): a few distinct latencies are kept as sparse
 * (index, count) pairs; past {@link #SPARSE_MAX} distinct bins the layout turns dense (one int32 per bin over the
 * index range, growing with slack, at most {@code maxBins} wide with the lowest bins collapsing). Quantiles and merges
 * go through a real DDSketch built from the bins ({@link #summary}). Counts per bin saturate at 2^31-1; the event
 * count, error count and max are exact longs.
 *
 * <pre>
 *  0 version (1)          1 mode (0 sparse, 1 dense)   2 count (8)   10 errors (8)   18 max (8)   26 zeros (8)
 * 34 errno entries n (4)  38 sparse: entries used / dense: lowest index (4)
 * 42 sparse: capacity / dense: bins (4)               46 errnos: n x (errno int, count long)
 *    then sparse: capacity x (index int, count int) or dense: bins x count int
 * </pre>
 */
public final class LatencyAggregate {
    static final byte VERSION = 2;
    static final byte SPARSE = 0;
    static final byte DENSE = 1;
    static final int SPARSE_MAX = 48;
    private static final int HEADER = 46;
    private static final int ERRNO_ENTRY = 12;
    private static final int DENSE_SLACK = 16;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] b;

    private LatencyAggregate(byte[] bytes) {
        this.b = bytes;
    }

    /** An empty aggregate. */
    public static LatencyAggregate empty() {
        byte[] b = new byte[HEADER + 4 * 8];
        b[0] = VERSION;
        b[1] = SPARSE;
        INT.set(b, 42, 4);
        return new LatencyAggregate(b);
    }

    /** Views serialized bytes (no copy): adding to the aggregate may change them in place. */
    public static LatencyAggregate wrap(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != VERSION) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                    "not a latency aggregate (version " + (bytes.length == 0 ? "none" : bytes[0]) + ")");
        }
        int errnos = (int) INT.get(bytes, 34);
        int slots = (int) INT.get(bytes, 42);
        long need = HEADER + (long) errnos * ERRNO_ENTRY + (long) slots * (bytes[1] == DENSE ? 4 : 8);
        boolean sparseOk = bytes[1] != SPARSE || (int) INT.get(bytes, 38) >= 0 && (int) INT.get(bytes, 38) <= slots;
        if (errnos < 0 || slots < 0 || (bytes[1] != SPARSE && bytes[1] != DENSE) || need != bytes.length || !sparseOk) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                    "latency aggregate layout does not match its length (" + bytes.length + " bytes)");
        }
        return new LatencyAggregate(bytes);
    }

    /** The serialized form: the array itself. */
    public byte[] bytes() {
        return b;
    }

    public long count() {
        return (long) LONG.get(b, 2);
    }

    public long errors() {
        return (long) LONG.get(b, 10);
    }

    public long maxNs() {
        return (long) LONG.get(b, 18);
    }

    public LatencyAggregate add(SyscallEvent e, LatencySketches sketches) {
        return add(e.getLatencyNs(), e.getRet(), e.getSampleWeight(), sketches);
    }

    /** Adds one event: its latency, return value (negative: -errno) and sample weight. */
    public LatencyAggregate add(long latency, long ret, int w, LatencySketches sketches) {
        LONG.set(b, 2, count() + w);
        if (latency > maxNs()) {
            LONG.set(b, 18, latency);
        }
        if (ret < 0) {
            LONG.set(b, 10, errors() + w);
            addErrno((int) Math.min(-ret, Integer.MAX_VALUE), w);
        }
        if (latency < sketches.minIndexableValue()) {
            LONG.set(b, 26, (long) LONG.get(b, 26) + w);
        } else {
            addToBin(sketches.mapping().index(latency), w, sketches.maxBins());
        }
        return this;
    }

    private int binsOffset() {
        return HEADER + (int) INT.get(b, 34) * ERRNO_ENTRY;
    }

    private void addErrno(int errno, long w) {
        int n = (int) INT.get(b, 34);
        for (int i = 0, at = HEADER; i < n; i++, at += ERRNO_ENTRY) {
            if ((int) INT.get(b, at) == errno) {
                LONG.set(b, at + 4, (long) LONG.get(b, at + 4) + w);
                return;
            }
        }
        int insert = HEADER + n * ERRNO_ENTRY;
        byte[] grown = new byte[b.length + ERRNO_ENTRY];
        System.arraycopy(b, 0, grown, 0, insert);
        System.arraycopy(b, insert, grown, insert + ERRNO_ENTRY, b.length - insert);
        INT.set(grown, insert, errno);
        LONG.set(grown, insert + 4, w);
        INT.set(grown, 34, n + 1);
        b = grown;
    }

    private void addToBin(int index, int w, int maxBins) {
        if (b[1] == SPARSE) {
            int used = (int) INT.get(b, 38);
            int base = binsOffset();
            for (int i = 0, at = base; i < used; i++, at += 8) {
                if ((int) INT.get(b, at) == index) {
                    INT.set(b, at + 4, saturated((int) INT.get(b, at + 4), w));
                    return;
                }
            }
            int capacity = (int) INT.get(b, 42);
            if (used < capacity) {
                INT.set(b, base + used * 8, index);
                INT.set(b, base + used * 8 + 4, w);
                INT.set(b, 38, used + 1);
                return;
            }
            if (capacity < SPARSE_MAX) {
                int newCapacity = Math.min(SPARSE_MAX, capacity * 2);
                byte[] grown = Arrays.copyOf(b, base + newCapacity * 8);
                INT.set(grown, 42, newCapacity);
                b = grown;
                addToBin(index, w, maxBins);
                return;
            }
            toDense(maxBins);
        }
        int lo = (int) INT.get(b, 38);
        int n = (int) INT.get(b, 42);
        if (index < lo || index >= lo + n) {
            regrow(Math.min(lo, index), Math.max(lo + n - 1, index), maxBins);
            lo = (int) INT.get(b, 38);
            n = (int) INT.get(b, 42);
            if (index < lo) {
                index = lo; // collapsed into the lowest bin
            }
        }
        int at = binsOffset() + (index - lo) * 4;
        INT.set(b, at, saturated((int) INT.get(b, at), w));
    }

    private static int saturated(int count, int w) {
        long s = (long) count + w;
        return s > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) s;
    }

    private void toDense(int maxBins) {
        int used = (int) INT.get(b, 38);
        int base = binsOffset();
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int i = 0, at = base; i < used; i++, at += 8) {
            int idx = (int) INT.get(b, at);
            min = Math.min(min, idx);
            max = Math.max(max, idx);
        }
        int[] idx = new int[used];
        int[] cnt = new int[used];
        for (int i = 0, at = base; i < used; i++, at += 8) {
            idx[i] = (int) INT.get(b, at);
            cnt[i] = (int) INT.get(b, at + 4);
        }
        byte[] dense = Arrays.copyOf(b, base);
        dense[1] = DENSE;
        INT.set(dense, 38, min);
        INT.set(dense, 42, 0);
        b = dense;
        regrow(min, max, maxBins);
        int lo = (int) INT.get(b, 38);
        int off = binsOffset();
        for (int i = 0; i < used; i++) {
            int at = off + (Math.max(idx[i], lo) - lo) * 4;
            INT.set(b, at, saturated((int) INT.get(b, at), cnt[i]));
        }
    }

    /** Re-lays the dense bins over [from - slack, to + slack], at most maxBins wide, folding the lowest if needed. */
    private void regrow(int from, int to, int maxBins) {
        int oldLo = (int) INT.get(b, 38);
        int oldN = (int) INT.get(b, 42);
        // slack only on the side that grows, so repeated growth never drifts the range
        int lo = oldN == 0 || from < oldLo ? from - DENSE_SLACK : oldLo;
        int hi = oldN == 0 || to > oldLo + oldN - 1 ? to + DENSE_SLACK : oldLo + oldN - 1;
        if (hi - lo + 1 > maxBins) {
            lo = hi - maxBins + 1; // collapse the lowest bins: the tail quantiles matter
        }
        int n = hi - lo + 1;
        int base = binsOffset();
        byte[] grown = new byte[base + n * 4];
        System.arraycopy(b, 0, grown, 0, base);
        for (int i = 0; i < oldN; i++) {
            int c = (int) INT.get(b, base + i * 4);
            if (c != 0) {
                int at = base + (Math.max(oldLo + i, lo) - lo) * 4;
                INT.set(grown, at, saturated((int) INT.get(grown, at), c));
            }
        }
        INT.set(grown, 38, lo);
        INT.set(grown, 42, n);
        b = grown;
    }

    /** The aggregate as a DDSketch-backed summary: quantiles, merges, publishing. */
    public LatencySummary summary(LatencySketches sketches) {
        Store store = sketches.store().get();
        int base = binsOffset();
        if (b[1] == SPARSE) {
            int used = (int) INT.get(b, 38);
            for (int i = 0, at = base; i < used; i++, at += 8) {
                store.add((int) INT.get(b, at), (double) (int) INT.get(b, at + 4));
            }
        } else {
            int lo = (int) INT.get(b, 38);
            int n = (int) INT.get(b, 42);
            // the extremes first, so the store sizes itself once
            addDense(store, base, lo, n - 1);
            addDense(store, base, lo, 0);
            for (int i = 1; i < n - 1; i++) {
                addDense(store, base, lo, i);
            }
        }
        DDSketch sketch = DDSketch.of(sketches.mapping(), sketches.store().get(), store, (double) (long) LONG.get(b, 26));
        int errnos = (int) INT.get(b, 34);
        int[] codes = new int[errnos];
        long[] counts = new long[errnos];
        for (int i = 0, at = HEADER; i < errnos; i++, at += ERRNO_ENTRY) {
            codes[i] = (int) INT.get(b, at);
            counts[i] = (long) LONG.get(b, at + 4);
        }
        return new LatencySummary(sketch, count(), errors(), maxNs(), codes, counts);
    }

    private void addDense(Store store, int base, int lo, int i) {
        int c = (int) INT.get(b, base + i * 4);
        if (c != 0) {
            store.add(lo + i, (double) c);
        }
    }
}
