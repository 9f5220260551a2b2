package io.harbinger.streams.deadletter;

import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.DeadLetter;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.serde.DeadLetterDeserializationHandler;
import io.harbinger.streams.ProcessorTopology;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Poison records on both raw input topics, in Confluent's wire format through the real registry: each goes to
 * harbinger.deadletter with its topic, partition, offset, original bytes and the typed reason, and the good
 * records around them are processed.
 */
class DeadLetterIT {
    @Test
    void poisonRecordsAreDeadLetteredAndProcessingCarriesOn(@TempDir Path dir) {
        String url = TestSchemaRegistry.shared().url();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "deadletter-it-" + System.nanoTime());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        p.put("schema.registry.url", url);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        Map<String, Object> config = new HashMap<>();
        p.forEach((k, v) -> config.put(k.toString(), v));
        ProcessorConfig pc = ProcessorConfig.from(config);

        var syscallKeys = TopicSpecs.SYSCALL_EVENTS.keySerde(config).serializer();
        var syscallValues = TopicSpecs.SYSCALL_EVENTS.valueSerde(config).serializer();
        var mapKeys = TopicSpecs.GOMAP_EVENTS.keySerde(config).serializer();
        var mapValues = TopicSpecs.GOMAP_EVENTS.valueSerde(config).serializer();
        SyscallKey sk = new SyscallKey("dl-host", "api", "read");
        byte[] goodKey = syscallKeys.serialize(TopicSpecs.SYSCALL_EVENTS.name(), sk);
        byte[] goodValue = syscallValues.serialize(TopicSpecs.SYSCALL_EVENTS.name(),
                new SyscallEvent("dl-host", 1_767_225_600_000_000_000L, 1, 1, "api", 0L, 0, "read", 100L, 1L, 1));
        MapKey mk = new MapKey("dl-host", 9, 77L);
        byte[] goodMapKey = mapKeys.serialize(TopicSpecs.GOMAP_EVENTS.name(), mk);
        byte[] goodMapValue = mapValues.serialize(TopicSpecs.GOMAP_EVENTS.name(),
                new GoMapEvent("dl-host", 1_767_225_600_000_000_000L, 9, "svc", 77L, "go1.19.8", 10L, 1, 0L, null));

        byte[] wrongMagic = goodValue.clone();
        wrongMagic[0] = 7;
        byte[] unknownId = goodValue.clone();
        unknownId[1] = 0x7f; // id 0x7f...... is not in the registry
        byte[] truncated = Arrays.copyOf(goodValue, goodValue.length - 4);
        byte[] corrupt = goodMapValue.clone();
        corrupt[corrupt.length - 3] = (byte) 0xff; // a varint that never ends inside the record
        corrupt[corrupt.length - 2] = (byte) 0xff;
        corrupt[corrupt.length - 1] = (byte) 0xff;

        try (TopologyTestDriver driver = new TopologyTestDriver(ProcessorTopology.build(pc), p)) {
            TestInputTopic<byte[], byte[]> syscalls = driver.createInputTopic(TopicSpecs.SYSCALL_EVENTS.name(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> maps = driver.createInputTopic(TopicSpecs.GOMAP_EVENTS.name(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            syscalls.pipeInput(goodKey, goodValue);   // offset 0
            syscalls.pipeInput(goodKey, wrongMagic);  // 1
            syscalls.pipeInput(goodKey, unknownId);   // 2
            syscalls.pipeInput(goodKey, truncated);   // 3
            syscalls.pipeInput(goodKey, goodValue);   // 4
            maps.pipeInput(goodMapKey, corrupt);      // 0
            maps.pipeInput(goodMapKey, goodMapValue); // 1

            TestOutputTopic<byte[], DeadLetter> dead = driver.createOutputTopic(TopicSpecs.DEADLETTER.name(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    TopicSpecs.DEADLETTER.valueSerde(config).deserializer());
            List<TestRecord<byte[], DeadLetter>> letters = dead.readRecordsToList();
            assertEquals(4, letters.size(), letters.toString());
            assertLetter(letters.get(0).value(), TopicSpecs.SYSCALL_EVENTS.name(), 1, "UNKNOWN_MAGIC_BYTE", wrongMagic);
            assertLetter(letters.get(1).value(), TopicSpecs.SYSCALL_EVENTS.name(), 2, "UNKNOWN_SCHEMA_ID", unknownId);
            assertLetter(letters.get(2).value(), TopicSpecs.SYSCALL_EVENTS.name(), 3, "TRUNCATED", truncated);
            assertLetter(letters.get(3).value(), TopicSpecs.GOMAP_EVENTS.name(), 0, "", corrupt);
            assertTrue(Arrays.equals(goodKey, letters.get(0).key()), "original key kept");

            List<TestRecord<byte[], MapTrend>> trends = driver.createOutputTopic(TopicSpecs.GOMAP_TRENDS.name(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    TopicSpecs.GOMAP_TRENDS.valueSerde(config).deserializer()).readRecordsToList();
            assertEquals(1, trends.size(), "the good map snapshot after the poison one is processed");
            assertEquals(4, DeadLetterDeserializationHandler.deadLettered(p.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)));
        }
    }

    private static void assertLetter(DeadLetter d, String topic, long offset, String reason, byte[] original) {
        assertEquals(topic, d.getTopic());
        assertEquals(0, d.getPartition());
        assertEquals(offset, d.getOffset());
        assertTrue(d.getReason().startsWith(reason), d.getReason());
        byte[] value = new byte[d.getValue().remaining()];
        d.getValue().duplicate().get(value);
        assertTrue(Arrays.equals(original, value), "original bytes kept");
    }
}
