package io.harbinger.platform.replay;

import io.harbinger.jsonl.JsonlWriter;
import io.harbinger.platform.PlatformException;
import io.harbinger.platform.tail.TailConfig;
import io.harbinger.platform.tail.TopicTailer;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.serde.SerdeConfig;
import io.harbinger.topics.Topics;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** replay and tail against the shared in-JVM broker and the real registry. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayTailIT {
    static final int SYSCALLS = 300;
    static final int GOMAPS = 120;
    @TempDir
    static Path dir;
    static Path recording;
    static Map<String, Object> client;
    static List<String> lines = new ArrayList<>();

    @BeforeAll
    static void writeRecording() throws Exception {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.shared();
        client = new HashMap<>(kafka.clientConfig());
        client.put(SerdeConfig.SCHEMA_REGISTRY_URL, TestSchemaRegistry.shared().url());
        recording = dir.resolve("rec.jsonl");
        StringWriter text = new StringWriter();
        try (JsonlWriter w = new JsonlWriter(text)) {
            long t0 = 1_767_225_600_000_000_000L;
            for (int i = 0; i < SYSCALLS; i++) {
                w.write(SyscallEvent.newBuilder().setHost("h" + i % 2).setTsNs(t0 + i * 3_000_000L).setPid(1000 + i % 4)
                        .setTid(1000 + i % 4).setComm(i % 3 == 0 ? "postgres" : "nginx").setCgroupId(0L)
                        .setSyscallNr(i % 2).setSyscall(i % 2 == 0 ? "read" : "write").setLatencyNs(1000L + i)
                        .setRet(i % 10 == 0 ? -11 : 1).setSampleWeight(1).build());
            }
            for (int i = 0; i < GOMAPS; i++) {
                w.write(GoMapEvent.newBuilder().setHost("h1").setTsNs(t0 + i * 10_000_000_000L).setPid(4000 + i % 3)
                        .setComm("svc").setMapAddr(824_634_769_408L + 4096L * (i % 3)).setGoVersion("go1.19.8")
                        .setCount(100L * i).setLog2Buckets(i / 20).setOverflowBuckets(i % 7).build());
            }
        }
        Files.writeString(recording, text.toString());
        lines.addAll(List.of(text.toString().split("\n")));
    }

    @Test
    @Order(1)
    void replayPublishesKeyedAvroWithEventTimestamps() {
        RecordingReplayer.Result r = new RecordingReplayer(new ReplayConfig(recording, OptionalDouble.empty(), client)).run();
        System.out.printf("replayed %d events in %d ms (%.0f events/s)%n", r.events(), r.elapsed().toMillis(), r.eventsPerSecond());
        assertEquals(SYSCALLS, r.syscallEvents());
        assertEquals(GOMAPS, r.gomapEvents());

        var keys = TopicSpecs.SYSCALL_EVENTS.keySerde(client).deserializer();
        var values = TopicSpecs.SYSCALL_EVENTS.valueSerde(client).deserializer();
        for (ConsumerRecord<byte[], byte[]> rec : consume(Topics.SYSCALL_EVENTS, SYSCALLS)) {
            SyscallEvent e = values.deserialize(rec.topic(), rec.value());
            assertEquals(new SyscallKey(e.getHost(), e.getComm(), e.getSyscall()), keys.deserialize(rec.topic(), rec.key()));
            assertEquals(e.getTsNs() / 1_000_000L, rec.timestamp());
        }
        var mapKeys = TopicSpecs.GOMAP_EVENTS.keySerde(client).deserializer();
        var mapValues = TopicSpecs.GOMAP_EVENTS.valueSerde(client).deserializer();
        for (ConsumerRecord<byte[], byte[]> rec : consume(Topics.GOMAP_EVENTS, GOMAPS)) {
            GoMapEvent e = mapValues.deserialize(rec.topic(), rec.value());
            assertEquals(new MapKey(e.getHost(), e.getPid(), e.getMapAddr()), mapKeys.deserialize(rec.topic(), rec.key()));
            assertEquals(e.getTsNs() / 1_000_000L, rec.timestamp());
        }
    }

    @Test
    @Order(2)
    void tailPrintsTheRecordingBackFieldForField() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        TopicTailer.Result r = new TopicTailer(new TailConfig(Topics.SYSCALL_EVENTS, true, OptionalLong.of(SYSCALLS),
                Optional.of(Duration.ofSeconds(20)), client)).run(out, new PrintWriter(err, true));
        StringWriter outMaps = new StringWriter();
        new TopicTailer(new TailConfig(Topics.GOMAP_EVENTS, true, OptionalLong.of(GOMAPS),
                Optional.of(Duration.ofSeconds(20)), client)).run(outMaps, new PrintWriter(err, true));
        assertEquals(SYSCALLS, r.printed());
        assertEquals("", err.toString());
        List<String> got = new ArrayList<>(List.of(out.toString().split("\n")));
        got.addAll(List.of(outMaps.toString().split("\n")));
        assertEquals(lines.stream().sorted().toList(), got.stream().sorted().toList());
    }

    @Test
    @Order(3)
    void tailReportsAndSkipsGarbageAndGoesOn() throws Exception {
        try (var producer = new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.GOMAP_EVENTS, 0, null, new byte[] {7, 7, 7})).get(10, TimeUnit.SECONDS);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        TopicTailer.Result r = new TopicTailer(new TailConfig(Topics.GOMAP_EVENTS, true, OptionalLong.empty(),
                Optional.of(Duration.ofSeconds(3)), client)).run(out, new PrintWriter(err, true));
        assertEquals(GOMAPS, r.printed());
        assertEquals(1, r.skipped());
        assertTrue(err.toString().startsWith("skipped " + Topics.GOMAP_EVENTS + "-0@"), err.toString());
    }

    @Test
    @Order(4)
    void aMalformedLineStopsReplayWithItsLineNumber() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, lines.get(0) + "\n" + lines.get(1) + "\n{\"type\":\"syscall\",\"host\":\n");
        PlatformException e = assertThrows(PlatformException.class,
                () -> new RecordingReplayer(new ReplayConfig(bad, OptionalDouble.empty(), client)).run());
        assertTrue(e.getMessage().startsWith("replay stopped at " + bad + ":3: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(2 events before it were published)"), e.getMessage());
    }

    @Test
    @Order(5)
    void speedPacesByEventTime() throws Exception {
        // 11 events 100 ms apart in event time = 1 s; at speed 5 that is 200 ms of wall time
        Path paced = dir.resolve("paced.jsonl");
        StringWriter text = new StringWriter();
        try (JsonlWriter w = new JsonlWriter(text)) {
            for (int i = 0; i <= 10; i++) {
                w.write(GoMapEvent.newBuilder().setHost("paced").setTsNs(1_000_000_000_000L + i * 100_000_000L).setPid(1)
                        .setComm("c").setMapAddr(1L).setGoVersion("go").setCount(i).setLog2Buckets(0).setOverflowBuckets(0).build());
            }
        }
        Files.writeString(paced, text.toString());
        RecordingReplayer.Result r = new RecordingReplayer(new ReplayConfig(paced, OptionalDouble.of(5), client)).run();
        assertTrue(r.elapsed().toMillis() >= 200, "took " + r.elapsed().toMillis() + " ms");
    }

    static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> got = EmbeddedKafkaCluster.shared().consume(topic, expected, Duration.ofSeconds(30));
        assertEquals(expected, got.size());
        return got;
    }
}
