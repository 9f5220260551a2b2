package io.harbinger.streams.latency;

import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallSample;
import io.harbinger.serde.SchemaRegistryClient;
import io.harbinger.serde.SerdeConfig;
import io.harbinger.serde.WireFormat;
import io.harbinger.topics.TopicSpecs;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads {@code SyscallEvent} values as {@link SyscallSample} by walking the Avro binary directly when the writer
 * schema has {@code SyscallEvent}'s field layout: a few varints and three skipped strings, instead of Avro's resolving
 * reader (which was a fifth of the latency topology's CPU). Everything else — another writer layout, an unknown schema
 * id, a wrong magic byte, a body that does not walk cleanly to its last byte — goes to the generic projection
 * deserializer, which decodes it or throws its {@code WireFormatException} (so dead-lettering is unchanged).
 */
public final class SyscallSampleDeserializer implements Deserializer<SyscallSample> {
    /** The writer layout the fast path walks: SyscallEvent's fields, in order. */
    private static final List<Schema.Type> LAYOUT = List.of(Schema.Type.STRING, Schema.Type.LONG, Schema.Type.INT,
            Schema.Type.INT, Schema.Type.STRING, Schema.Type.LONG, Schema.Type.INT, Schema.Type.STRING,
            Schema.Type.LONG, Schema.Type.LONG, Schema.Type.INT);

    private final Deserializer<SyscallSample> generic;
    private final SchemaRegistryClient registry; // null: plain Avro binary with SyscallEvent's own schema
    /** Schema ids seen, and whether their writer schema has {@link #LAYOUT}. */
    private final Map<Integer, Boolean> walkable = new ConcurrentHashMap<>();
    /** The id last looked up (stream threads share this instance: an immutable pair, swapped whole). */
    private volatile IdLayout lastId;

    private record IdLayout(int id, boolean walkable) {}

    /** {@code generic}: the projection deserializer of the same {@code config} (the fallback and error path). */
    public SyscallSampleDeserializer(Deserializer<SyscallSample> generic, Map<String, ?> config) {
        this.generic = generic;
        this.registry = TopicSpecs.registryFree(config) ? null : SchemaRegistryClient.shared(SerdeConfig.from(config));
        if (registry == null && !hasLayout(SyscallEvent.getClassSchema())) {
            throw new IllegalStateException("SyscallEvent's schema no longer has the layout " + LAYOUT);
        }
    }

    static boolean hasLayout(Schema writer) {
        if (writer.getType() != Schema.Type.RECORD || writer.getFields().size() != LAYOUT.size()) {
            return false;
        }
        for (int i = 0; i < LAYOUT.size(); i++) {
            if (writer.getFields().get(i).schema().getType() != LAYOUT.get(i)) {
                return false;
            }
        }
        List<Schema.Field> f = writer.getFields();
        return f.get(1).name().equals("ts_ns") && f.get(8).name().equals("latency_ns") && f.get(9).name().equals("ret")
                && f.get(10).name().equals("sample_weight");
    }

    @Override
    public SyscallSample deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        SyscallSample s = null;
        if (registry == null) {
            s = decode(data, 0);
        } else if (data.length >= WireFormat.HEADER_SIZE && data[0] == WireFormat.MAGIC_BYTE) {
            int id = (data[1] & 0xff) << 24 | (data[2] & 0xff) << 16 | (data[3] & 0xff) << 8 | (data[4] & 0xff);
            IdLayout last = lastId; // a producer's records share one id: skip the map (and its boxing) for them
            boolean fast;
            if (last != null && last.id == id) {
                fast = last.walkable;
            } else {
                Boolean known = walkable.get(id);
                if (known == null) {
                    SyscallSample first = generic.deserialize(topic, data); // fetches and checks the writer schema
                    walkable.put(id, hasLayout(registry.byId(id)));
                    return first;
                }
                fast = known;
                lastId = new IdLayout(id, fast);
            }
            if (fast) {
                s = decode(data, WireFormat.HEADER_SIZE);
            }
        }
        return s != null ? s : generic.deserialize(topic, data);
    }

    /**
     * The sample in an Avro body of SyscallEvent's layout starting at {@code offset}, or null unless the body walks
     * cleanly to exactly the last byte (every varint terminated and in range, every string inside the data).
     */
    static SyscallSample decode(byte[] data, int offset) {
        Cursor c = new Cursor(data, offset);
        if (!c.skipString()) {               // host
            return null;
        }
        long ts = c.readLong();              // ts_ns
        c.readInt();                         // pid
        c.readInt();                         // tid
        if (!c.ok || !c.skipString()) {      // comm
            return null;
        }
        c.readLong();                        // cgroup_id
        c.readInt();                         // syscall_nr
        if (!c.ok || !c.skipString()) {      // syscall
            return null;
        }
        long latency = c.readLong();         // latency_ns
        long ret = c.readLong();             // ret
        int weight = c.readInt();            // sample_weight
        if (!c.ok || c.pos != data.length) {
            return null;
        }
        SyscallSample s = new SyscallSample();
        s.setTsNs(ts);
        s.setLatencyNs(latency);
        s.setRet(ret);
        s.setSampleWeight(weight);
        return s;
    }

    /** Avro binary primitives over a byte array; {@code ok} turns false at the first malformed or truncated one. */
    private static final class Cursor {
        final byte[] data;
        int pos;
        boolean ok = true;

        Cursor(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        /** A zig-zag varint of at most {@code maxBytes} bytes (Avro: 5 for int, 10 for long). */
        private long varint(int maxBytes) {
            long raw = 0;
            for (int i = 0, shift = 0; i < maxBytes; i++, shift += 7) {
                if (pos >= data.length) {
                    ok = false;
                    return 0;
                }
                byte b = data[pos++];
                raw |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            ok = false;
            return 0;
        }

        long readLong() {
            return varint(10);
        }

        int readInt() {
            long v = varint(5);
            if (v != (int) v) {
                ok = false;
            }
            return (int) v;
        }

        boolean skipString() {
            long n = varint(10);
            if (!ok || n < 0 || n > data.length - pos) {
                ok = false;
                return false;
            }
            pos += (int) n;
            return true;
        }
    }
}
