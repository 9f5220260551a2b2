package io.harbinger.streams.latency;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.store.Store;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import io.harbinger.serde.WireFormatException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Compact encoding of a {@link LatencyAggregate} for the window store: a version byte, count, errors, max and the
 * errno table as varints, then the sketch in DDSketch's own encoding without its index mapping (which the config
 * fixes). A window with a few hundred distinct latencies takes a few hundred bytes.
 */
public final class LatencyAggregateSerde implements Serde<LatencyAggregate>, Serializer<LatencyAggregate>,
        Deserializer<LatencyAggregate> {
    private static final byte VERSION = 1;
    private final LatencySketches sketches;
    private final ThreadLocal<long[]> scratch = ThreadLocal.withInitial(() -> new long[256]);
    private final ThreadLocal<GrowingByteArrayOutput> out =
            ThreadLocal.withInitial(() -> GrowingByteArrayOutput.withInitialCapacity(512));

    public LatencyAggregateSerde(LatencySketches sketches) {
        this.sketches = sketches;
    }

    @Override
    public byte[] serialize(String topic, LatencyAggregate a) {
        if (a == null) {
            return null;
        }
        GrowingByteArrayOutput o = out.get();
        o.clear();
        try {
            o.writeByte(VERSION);
            writeVarLong(o, a.count);
            writeVarLong(o, a.errors);
            writeVarLong(o, a.maxNs);
            writeVarLong(o, a.errnos.length);
            for (int i = 0; i < a.errnos.length; i++) {
                writeVarLong(o, a.errnos[i]);
                writeVarLong(o, a.errnoCounts[i]);
            }
            encodeSketchBins(o, a.sketch);
        } catch (IOException e) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "cannot encode aggregate", e);
        }
        return o.trimmedCopy();
    }

    @Override
    public LatencyAggregate deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            byte version = b.get();
            if (version != VERSION) {
                throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                        "latency aggregate version " + version + ", expected " + VERSION);
            }
            long count = readVarLong(b);
            long errors = readVarLong(b);
            long max = readVarLong(b);
            int n = (int) readVarLong(b);
            if (n < 0 || n > 4096) {
                throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "bad errno table size " + n);
            }
            DDSketch sketch;
            int[] errnos = new int[n];
            long[] counts = new long[n];
            for (int i = 0; i < n; i++) {
                errnos[i] = (int) readVarLong(b);
                counts[i] = readVarLong(b);
            }
            sketch = decodeSketchBins(b);
            LatencyAggregate a = new LatencyAggregate(sketch);
            a.count = count;
            a.errors = errors;
            a.maxNs = max;
            a.errnos = errnos;
            a.errnoCounts = counts;
            return a;
        } catch (WireFormatException e) {
            throw e;
        } catch (java.nio.BufferUnderflowException e) {
            throw new WireFormatException(WireFormatException.Reason.TRUNCATED, "latency aggregate ends early", e);
        } catch (RuntimeException e) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                    "latency aggregate does not decode: " + e, e);
        }
    }

    /**
     * Zero count, then the positive store as its lowest index and the dense run of counts up to its highest index.
     * Decoding adds the two extreme bins first, so the store sizes its array once instead of growing bin by bin
     * (DDSketch's own decoder grows it repeatedly, which dominated the aggregation's cost).
     */
    private void encodeSketchBins(GrowingByteArrayOutput o, DDSketch sketch) throws IOException {
        Store pos = sketch.getPositiveValueStore();
        double binned = pos.getTotalCount();
        writeVarLong(o, Math.round(sketch.getCount() - binned));
        if (pos.isEmpty()) {
            writeVarLong(o, 0);
            return;
        }
        int min = pos.getMinIndex();
        int n = pos.getMaxIndex() - min + 1;
        long[] dense = scratch.get();
        if (dense.length < n) {
            dense = new long[Math.max(n, dense.length * 2)];
            scratch.set(dense);
        }
        java.util.Arrays.fill(dense, 0, n, 0L);
        long[] d = dense;
        pos.forEach((index, count) -> d[index - min] += Math.round(count));
        writeVarLong(o, n);
        writeVarLong(o, (min << 1) ^ (min >> 31));
        for (int i = 0; i < n; i++) {
            writeVarLong(o, dense[i]);
        }
    }

    private DDSketch decodeSketchBins(ByteBuffer b) {
        long zero = readVarLong(b);
        int n = (int) readVarLong(b);
        Store pos = sketches.store().get();
        if (n < 0 || n > 1 << 20) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "bad sketch bin count " + n);
        }
        if (n > 0) {
            int zz = (int) readVarLong(b);
            int min = (zz >>> 1) ^ -(zz & 1);
            long[] counts = new long[n];
            for (int i = 0; i < n; i++) {
                counts[i] = readVarLong(b);
            }
            pos.add(min + n - 1, (double) counts[n - 1]);
            pos.add(min, (double) counts[0]);
            for (int i = 1; i < n - 1; i++) {
                if (counts[i] != 0) {
                    pos.add(min + i, (double) counts[i]);
                }
            }
        }
        if (b.hasRemaining()) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "trailing bytes after aggregate");
        }
        return DDSketch.of(sketches.mapping(), sketches.store().get(), pos, zero);
    }

    /** The sketch alone, with its index mapping, as published on {@code SyscallLatencyWindow.sketch}. */
    public static byte[] encodeSketch(DDSketch sketch) {
        ByteBuffer bb = sketch.serialize();
        byte[] bytes = new byte[bb.remaining()];
        bb.get(bytes);
        return bytes;
    }

    private static void writeVarLong(GrowingByteArrayOutput o, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            o.writeByte((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.writeByte((byte) v);
    }

    private static long readVarLong(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "varint too long");
    }

    @Override
    public Serializer<LatencyAggregate> serializer() {
        return this;
    }

    @Override
    public Deserializer<LatencyAggregate> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
