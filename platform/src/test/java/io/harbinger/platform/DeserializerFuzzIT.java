package io.harbinger.platform;

import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.Alert;
import io.harbinger.schema.AlertSeverity;
import io.harbinger.schema.DeadLetter;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.serde.GenericAvroDeserializer;
import io.harbinger.serde.SchemaRegistryClient;
import io.harbinger.serde.SpecificAvroDeserializer;
import io.harbinger.serde.SpecificAvroSerializer;
import io.harbinger.serde.WireFormatException;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random harness: 100,000+ damaged records (bit flips, truncations, trailing bytes, foreign and unknown
 * schema ids, random bytes) through every input deserializer, with schemas from the real registry. Each either
 * decodes or fails with a {@link WireFormatException} naming the cause; nothing else may escape.
 */
class DeserializerFuzzIT {
    record Kind<T extends SpecificRecord>(String topic, Class<T> type, T sample) {}

    @Test
    void hundredThousandDamagedRecordsNeverEscapeAsAnythingButTypedErrors() {
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(TestSchemaRegistry.shared().url());
        List<Kind<?>> kinds = List.of(
                new Kind<>("fuzz.syscall", SyscallEvent.class, new SyscallEvent("h", 1L, 2, 3, "comm", 4L, 0, "read",
                        500L, -2L, 1)),
                new Kind<>("fuzz.gomap", GoMapEvent.class, new GoMapEvent("h", 1L, 2, "svc", 824634769408L, "go1.19.8",
                        99636L, 14, 327L, 42L)),
                new Kind<>("fuzz.key", SyscallKey.class, new SyscallKey("h", "comm", "read")),
                new Kind<>("fuzz.mapkey", MapKey.class, new MapKey("h", 2, 824634769408L)),
                new Kind<>("fuzz.alert", Alert.class, Alert.newBuilder().setDedupKey("k").setRule("r")
                        .setMetric("gomap.count").setSeverity(AlertSeverity.WARNING).setFiredAtMs(1L).setValue(1.0)
                        .setThreshold(2.0).setSummary("s").build()),
                new Kind<>("fuzz.deadletter", DeadLetter.class, DeadLetter.newBuilder().setTopic("t").setPartition(0)
                        .setOffset(1L).setReason("r").build()));
        List<byte[]> valid = new ArrayList<>();
        List<SpecificAvroDeserializer<?>> deserializers = new ArrayList<>();
        for (Kind<?> k : kinds) {
            valid.add(serialize(registry, k));
            deserializers.add(new SpecificAvroDeserializer<>(k.type(), registry));
        }
        GenericAvroDeserializer generic = new GenericAvroDeserializer(registry);
        // every valid record decodes to itself first
        for (int i = 0; i < kinds.size(); i++) {
            assertEquals(kinds.get(i).sample(), deserializers.get(i).deserialize(kinds.get(i).topic(), valid.get(i)));
        }

        Random rnd = new Random(0xF022);
        Map<WireFormatException.Reason, Integer> reasons = new EnumMap<>(WireFormatException.Reason.class);
        int decoded = 0;
        int total = 120_000;
        for (int n = 0; n < total; n++) {
            int k = rnd.nextInt(kinds.size());
            byte[] bytes = mutate(rnd, valid.get(k), valid.get(rnd.nextInt(valid.size())));
            for (Object d : List.of(deserializers.get(k), generic)) {
                try {
                    if (d == generic) {
                        generic.deserialize(kinds.get(k).topic(), bytes);
                    } else {
                        deserializers.get(k).deserialize(kinds.get(k).topic(), bytes);
                    }
                    decoded++;
                } catch (WireFormatException e) {
                    reasons.merge(e.reason(), 1, Integer::sum);
                    assertTrue(e.getMessage().startsWith(e.reason().name() + ": "), e.getMessage());
                } catch (Throwable t) {
                    throw new AssertionError("record #" + n + " of " + kinds.get(k).type().getSimpleName() + " "
                            + Arrays.toString(bytes) + " escaped as " + t, t);
                }
            }
        }
        System.out.printf("fuzz: %d decodes, refusals by reason %s%n", decoded, reasons);
        assertTrue(reasons.getOrDefault(WireFormatException.Reason.UNKNOWN_MAGIC_BYTE, 0) > 1000);
        assertTrue(reasons.getOrDefault(WireFormatException.Reason.TRUNCATED, 0) > 1000);
        assertTrue(reasons.getOrDefault(WireFormatException.Reason.CORRUPT_PAYLOAD, 0) > 1000);
        assertTrue(reasons.getOrDefault(WireFormatException.Reason.UNKNOWN_SCHEMA_ID, 0) > 1000);
        assertTrue(reasons.getOrDefault(WireFormatException.Reason.SCHEMA_MISMATCH, 0) > 100);
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] serialize(SchemaRegistryClient registry, Kind<T> k) {
        return new SpecificAvroSerializer<>(k.type(), registry, false).serialize(k.topic(), k.sample());
    }

    private static byte[] mutate(Random rnd, byte[] valid, byte[] other) {
        byte[] b = valid.clone();
        switch (rnd.nextInt(8)) {
            case 0 -> { // flip bits in the body
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
                    int at = 5 + rnd.nextInt(b.length - 5);
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncate anywhere, header included
            case 2 -> { // trailing garbage
                b = Arrays.copyOf(b, b.length + 1 + rnd.nextInt(16));
                for (int i = valid.length; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt(256);
                }
            }
            case 3 -> b[0] = (byte) (1 + rnd.nextInt(255)); // wrong magic byte
            case 4 -> { // unknown schema id
                int id = 1_000_000 + rnd.nextInt(1_000_000);
                b[1] = (byte) (id >>> 24);
                b[2] = (byte) (id >>> 16);
                b[3] = (byte) (id >>> 8);
                b[4] = (byte) id;
            }
            case 5 -> System.arraycopy(other, 1, b, 1, 4); // another type's schema id on this body
            case 6 -> { // random body
                for (int i = 5; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt(256);
                }
            }
            default -> { // random everything, random length
                b = new byte[rnd.nextInt(64)];
                rnd.nextBytes(b);
            }
        }
        return b;
    }
}
