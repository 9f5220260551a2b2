package io.harbinger.streams.latency;

import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallSample;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.serde.WireFormatException;
import io.harbinger.topics.TopicSpecs;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The direct walk of SyscallEvent's Avro body against Avro's own resolving reader of the projection. */
class SyscallSampleDeserializerTest {
    static final AvroBinarySerde<SyscallEvent> EVENTS = new AvroBinarySerde<>(SyscallEvent.class);
    static final Map<String, Object> CONFIG = Map.of(TopicSpecs.SERDE_FORMAT, "avro-binary");
    static final Deserializer<SyscallSample> AVRO =
            TopicSpecs.SYSCALL_EVENTS.valueProjection(SyscallSample.class, CONFIG).deserializer();
    static final SyscallSampleDeserializer FAST = new SyscallSampleDeserializer(AVRO, CONFIG);

    static List<SyscallEvent> events() {
        Random rnd = new Random(3);
        List<SyscallEvent> out = new ArrayList<>();
        long[] extremes = {0, 1, -1, 63, 64, -64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
                Long.MIN_VALUE};
        int[] ints = {0, 1, -1, 63, 64, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (int i = 0; i < 2000; i++) {
            long a = i < 200 ? extremes[i % extremes.length] : rnd.nextLong() >> rnd.nextInt(64);
            int n = i < 200 ? ints[i % ints.length] : rnd.nextInt() >> rnd.nextInt(32);
            String host = i % 7 == 0 ? "" : "host-" + i + (i % 5 == 0 ? "-ünïcødé-✓" : "");
            String comm = "x".repeat(i % 70);
            out.add(new SyscallEvent(host, a, n, -n, comm, a ^ 77, n, i % 3 == 0 ? "" : "read", a * 31, -a, n));
        }
        return out;
    }

    @Test
    void decodesEveryEventAsAvroDoes() {
        for (SyscallEvent e : events()) {
            byte[] body = EVENTS.serialize("t", e);
            SyscallSample fast = SyscallSampleDeserializer.decode(body, 0);
            assertNotNull(fast, e.toString());
            assertEquals(AVRO.deserialize("t", body), fast, e.toString());
            assertEquals(e.getLatencyNs(), fast.getLatencyNs());
            assertEquals(e.getSampleWeight(), fast.getSampleWeight());
        }
    }

    @Test
    void truncatedCorruptOrPaddedBodiesGetAvrosAnswer() {
        Random rnd = new Random(5);
        int walked = 0;
        for (SyscallEvent e : events().subList(0, 300)) {
            byte[] body = EVENTS.serialize("t", e);
            List<byte[]> variants = new ArrayList<>();
            for (int len = 0; len < body.length; len++) {
                variants.add(Arrays.copyOf(body, len));
            }
            variants.add(Arrays.copyOf(body, body.length + 1 + rnd.nextInt(3)));
            for (int k = 0; k < 20; k++) {
                byte[] v = body.clone();
                v[rnd.nextInt(v.length)] = (byte) rnd.nextInt(256);
                variants.add(v);
            }
            for (byte[] v : variants) {
                if (SyscallSampleDeserializer.decode(v, 0) != null) {
                    walked++;
                }
                assertEquals(outcome(AVRO, v), outcome(FAST, v));
            }
        }
        assertTrue(walked > 1000, "corrupt bodies that still walk (a changed digit) decode as Avro does: " + walked);
    }

    /** The value, or the failure's reason. */
    static Object outcome(Deserializer<SyscallSample> d, byte[] data) {
        try {
            return d.deserialize("t", data);
        } catch (WireFormatException ex) {
            return ex.reason();
        }
    }

    @Test
    void aBodyMustEndAtItsLastByte() {
        byte[] body = EVENTS.serialize("t", events().get(300));
        assertNull(SyscallSampleDeserializer.decode(Arrays.copyOf(body, body.length + 1), 0));
        assertNull(SyscallSampleDeserializer.decode(Arrays.copyOf(body, body.length - 1), 0));
    }

    @Test
    void onlySyscallEventsLayoutIsWalked() {
        assertTrue(SyscallSampleDeserializer.hasLayout(SyscallEvent.getClassSchema()));
        Schema extraField = SchemaBuilder.record("SyscallEvent").namespace("io.harbinger.schema").fields()
                .requiredString("host").requiredLong("ts_ns").requiredInt("pid").requiredInt("tid")
                .requiredString("comm").requiredLong("cgroup_id").requiredInt("syscall_nr").requiredString("syscall")
                .requiredLong("latency_ns").requiredLong("ret").requiredInt("sample_weight").requiredInt("cpu")
                .endRecord();
        assertFalse(SyscallSampleDeserializer.hasLayout(extraField));
        Schema reordered = SchemaBuilder.record("SyscallEvent").namespace("io.harbinger.schema").fields()
                .requiredString("host").requiredLong("ts_ns").requiredInt("pid").requiredInt("tid")
                .requiredString("comm").requiredLong("cgroup_id").requiredInt("syscall_nr").requiredString("syscall")
                .requiredLong("ret").requiredLong("latency_ns").requiredInt("sample_weight").endRecord();
        assertFalse(SyscallSampleDeserializer.hasLayout(reordered));
    }
}
