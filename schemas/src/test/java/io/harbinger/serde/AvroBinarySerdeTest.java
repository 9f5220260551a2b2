package io.harbinger.serde;

import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.topics.TopicSpecs;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AvroBinarySerdeTest {
    static final SyscallEvent EVENT = SyscallEvent.newBuilder().setHost("h").setTsNs(1L).setPid(1).setTid(2)
            .setComm("c").setCgroupId(0).setSyscallNr(39).setSyscall("getpid").setLatencyNs(100).setRet(5)
            .setSampleWeight(1).build();

    @Test
    void roundTripsAndRefusesDamagedBytes() {
        AvroBinarySerde<SyscallEvent> serde = new AvroBinarySerde<>(SyscallEvent.class);
        byte[] bytes = serde.serialize("t", EVENT);
        assertEquals(EVENT, serde.deserialize("t", bytes));
        assertEquals(WireFormatException.Reason.TRUNCATED, assertThrows(WireFormatException.class,
                () -> serde.deserialize("t", Arrays.copyOf(bytes, bytes.length - 3))).reason());
        assertEquals(WireFormatException.Reason.CORRUPT_PAYLOAD, assertThrows(WireFormatException.class,
                () -> serde.deserialize("t", Arrays.copyOf(bytes, bytes.length + 2))).reason());
    }

    @Test
    void aHugeLengthPrefixIsRefusedBeforeAnythingIsAllocated() {
        AvroBinarySerde<SyscallEvent> serde = new AvroBinarySerde<>(SyscallEvent.class);
        byte[] bytes = serde.serialize("t", EVENT);
        // host is the first field: replace its 1-byte length with a 5-byte varint of ~1 GiB
        byte[] evil = new byte[bytes.length + 4];
        evil[0] = (byte) 0xfe;
        evil[1] = (byte) 0xff;
        evil[2] = (byte) 0xff;
        evil[3] = (byte) 0xff;
        evil[4] = (byte) 0x07;
        System.arraycopy(bytes, 1, evil, 5, bytes.length - 1);
        assertEquals(WireFormatException.Reason.TRUNCATED,
                assertThrows(WireFormatException.class, () -> serde.deserialize("t", evil)).reason());
    }

    @Test
    void topicSpecsPickTheFormatFromConfig() {
        Map<String, Object> offline = Map.of(TopicSpecs.SERDE_FORMAT, "avro-binary");
        assertInstanceOf(AvroBinarySerde.class, TopicSpecs.GOMAP_EVENTS.keySerde(offline));
        MapKey key = new MapKey("h", 3, 42L);
        var serde = TopicSpecs.GOMAP_EVENTS.keySerde(offline);
        assertEquals(key, serde.deserializer().deserialize("t", serde.serializer().serialize("t", key)));
        assertThrows(IllegalArgumentException.class,
                () -> TopicSpecs.GOMAP_EVENTS.keySerde(Map.of(TopicSpecs.SERDE_FORMAT, "protobuf")));
    }
}
