package io.harbinger.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.harbinger.alerting.AlertingService;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.Alert;
import io.harbinger.schema.DeadLetter;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.GrowthForecast;
import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.Silence;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.streams.app.StreamsService;
import io.harbinger.streams.json.JsonViews;
import io.harbinger.topics.TopicSpec;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7, item 4 (records): garbage, an unknown schema id, the schema id of another record type, a truncated record
 * and a corrupt Avro body on EVERY topic a Harbinger service reads - the raw events (streams processor), the trends
 * and latency windows and silences (alerting), the alerts (alerting's HTTP sink) - plus a corrupt key, all against
 * the real broker and registry with both services running. Each becomes exactly one record on
 * harbinger.deadletter with its topic, partition, offset, original bytes and the typed reason, and the good records
 * written after them are processed: windows, trends, alerts, a silence, webhook deliveries. Raw events that decode
 * but cannot be true (a negative latency, a sample weight of 0, a bucket exponent of 64) are dead-lettered by the
 * processor too ({@code IMPLAUSIBLE}), and are in no window or trend.
 */
class PoisonRecordsIT {
    static final String HOST = "poison-host";
    static final long T0 = Workload.BASE_MS;

    /** The five kinds of broken value, each built from a good record of the topic. */
    enum Poison {
        GARBAGE("UNKNOWN_MAGIC_BYTE"), UNKNOWN_ID("UNKNOWN_SCHEMA_ID"), OTHER_TYPES_ID("SCHEMA_MISMATCH"),
        TRUNCATED("TRUNCATED"), CORRUPT_BODY("CORRUPT_PAYLOAD|TRUNCATED");

        final String reason;

        Poison(String reason) {
            this.reason = reason;
        }

        byte[] apply(byte[] good, byte[] otherTypesValue) {
            return switch (this) {
                case GARBAGE -> "{\"not\":\"avro\"}".getBytes();
                case UNKNOWN_ID -> {
                    byte[] b = good.clone();
                    b[1] = 0x7f; // schema id 0x7f...... is not registered
                    yield b;
                }
                case OTHER_TYPES_ID -> {
                    byte[] b = good.clone();
                    System.arraycopy(otherTypesValue, 1, b, 1, 4); // a registered id, of another record type
                    yield b;
                }
                case TRUNCATED -> Arrays.copyOf(good, good.length - 3);
                case CORRUPT_BODY -> {
                    byte[] b = good.clone();
                    b[5] = (byte) 0x80; // the first field's length/varint now runs on into the next bytes...
                    b[b.length - 1] = (byte) 0x80; // ...and never ends
                    b = Arrays.copyOf(b, b.length + 2);
                    b[b.length - 2] = 0x02;
                    b[b.length - 1] = 0x02;
                    yield b;
                }
            };
        }
    }

    record Sent(String topic, int partition, long offset, byte[] value, String reason) {}

    @Test
    void poisonOnEveryInputTopicIsDeadLetteredAndTheServicesCarryOn(@TempDir Path dir) throws Exception {
        AtomicInteger webhookCalls = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        hook.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            webhookCalls.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
        Path rules = Files.writeString(dir.resolve("rules.yaml"), Workload.RULES);
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.single())) {
            kafka.createHarbingerTopics();
            Map<String, Object> client = new HashMap<>(kafka.clientConfig());
            client.put("schema.registry.url", TestSchemaRegistry.shared().url());
            var ap = Services.alertingProperties(client, "poison-alerting", dir.resolve("alerting-state"), rules);
            ap.setProperty("alerting.sinks", "hook");
            ap.setProperty("alerting.sinks.start", "earliest");
            ap.setProperty("alerting.sink.hook.type", "webhook");
            ap.setProperty("alerting.sink.hook.url", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
            ap.setProperty("alerting.sink.hook.retries", "0");

            // good records of every input topic, and the registered value of each type (for the wrong-id poison)
            SyscallEvent syscall = new SyscallEvent(HOST, (T0 + 1_000) * 1_000_000L, 1, 1, "api", 0L, 0, "read",
                    4_000L, 1L, 1);
            GoMapEvent gomap = new GoMapEvent(HOST, T0 * 1_000_000L, 4000, "svc", 0xc000010000L, "go1.19.8", 1_000L,
                    7, 0L, 1L);
            MapTrend trend = trend(HOST + "-2", 2_000_000L, T0);
            SyscallLatencyWindow window = window(HOST + "-2", T0);
            Silence silence = Silence.newBuilder().setId("good-silence").setMatchers(Map.of("host", "nobody"))
                    .setStartsAtMs(T0).setEndsAtMs(T0 + 3_600_000L).setCreatedBy("poison-it").build();
            Alert alert = Alert.newBuilder().setDedupKey("poison/x").setRule("gomap-growth").setMetric("gomap.count")
                    .setSeverity(io.harbinger.schema.AlertSeverity.WARNING).setHost("poison-x").setFiredAtMs(T0)
                    .setValue(1.0).setThreshold(2.0).setSummary("a good alert among poison").build();

            byte[] syscallValue = value(TopicSpecs.SYSCALL_EVENTS, syscall, client);
            byte[] gomapValue = value(TopicSpecs.GOMAP_EVENTS, gomap, client);
            byte[] trendValue = value(TopicSpecs.GOMAP_TRENDS, trend, client);
            byte[] windowValue = value(TopicSpecs.SYSCALL_LATENCY, window, client);
            byte[] silenceValue = value(TopicSpecs.SILENCES, silence, client);
            byte[] alertValue = value(TopicSpecs.ALERTS, alert, client);
            byte[] syscallKey = key(TopicSpecs.SYSCALL_EVENTS, new SyscallKey(HOST, "api", "read"), client);
            byte[] mapKey = key(TopicSpecs.GOMAP_EVENTS, new MapKey(HOST, 4000, 0xc000010000L), client);
            byte[] trendKey = key(TopicSpecs.GOMAP_TRENDS, new MapKey(HOST + "-2", 4000, 0xc000010000L), client);
            byte[] windowKey = key(TopicSpecs.SYSCALL_LATENCY, new LatencyWindowKey(HOST + "-2", "api", "openat", T0),
                    client);

            Map<String, byte[][]> inputs = new java.util.LinkedHashMap<>();
            inputs.put(Topics.SYSCALL_EVENTS, new byte[][]{syscallKey, syscallValue, gomapValue});
            inputs.put(Topics.GOMAP_EVENTS, new byte[][]{mapKey, gomapValue, syscallValue});
            inputs.put(Topics.GOMAP_TRENDS, new byte[][]{trendKey, trendValue, windowValue});
            inputs.put(Topics.SYSCALL_LATENCY, new byte[][]{windowKey, windowValue, trendValue});
            inputs.put(Topics.SILENCES, new byte[][]{"broken-silence".getBytes(), silenceValue, alertValue});
            inputs.put(Topics.ALERTS, new byte[][]{"poison/y".getBytes(), alertValue, silenceValue});

            Path alertingConfig = Services.write(ap, dir.resolve("alerting.properties"));
            try (StreamsService streams = Services.startStreams(Services.streamsProperties(client, "poison-streams",
                    dir.resolve("streams-state")));
                 AlertingService alerting = Services.startAlerting(alertingConfig);
                 KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(client, new ByteArraySerializer(),
                         new ByteArraySerializer())) {
                List<Sent> sent = new ArrayList<>();
                for (var in : inputs.entrySet()) {
                    byte[][] kv = in.getValue();
                    for (Poison p : Poison.values()) {
                        byte[] bad = p.apply(kv[1], kv[2]);
                        var md = raw.send(new ProducerRecord<>(in.getKey(), null, T0, kv[0], bad)).get(30, TimeUnit.SECONDS);
                        sent.add(new Sent(in.getKey(), md.partition(), md.offset(), bad, p.reason));
                    }
                }
                byte[] badKey = "not a key".getBytes();
                var md = raw.send(new ProducerRecord<>(Topics.SYSCALL_EVENTS, null, T0, badKey, syscallValue))
                        .get(30, TimeUnit.SECONDS);
                sent.add(new Sent(Topics.SYSCALL_EVENTS, md.partition(), md.offset(), syscallValue, "UNKNOWN_MAGIC_BYTE"));
                // records that decode but cannot be true: the processor dead-letters them instead of aggregating
                for (var odd : List.of(
                        new ProducerRecord<>(Topics.SYSCALL_EVENTS, null, T0, syscallKey, value(TopicSpecs.SYSCALL_EVENTS,
                                new SyscallEvent(HOST, (T0 + 2_000) * 1_000_000L, 1, 1, "api", 0L, 0, "read", -5L, 1L, 1),
                                client)),
                        new ProducerRecord<>(Topics.SYSCALL_EVENTS, null, T0, syscallKey, value(TopicSpecs.SYSCALL_EVENTS,
                                new SyscallEvent(HOST, (T0 + 3_000) * 1_000_000L, 1, 1, "api", 0L, 0, "read", 4_000L, 1L,
                                        0), client)),
                        new ProducerRecord<>(Topics.GOMAP_EVENTS, null, T0, mapKey, value(TopicSpecs.GOMAP_EVENTS,
                                new GoMapEvent(HOST, (T0 - 1_000) * 1_000_000L, 4000, "svc", 0xc000010000L, "go1.19.8",
                                        1_000L, 64, 0L, 1L), client)))) {
                    md = raw.send(odd).get(30, TimeUnit.SECONDS);
                    sent.add(new Sent(odd.topic(), md.partition(), md.offset(), odd.value(), "IMPLAUSIBLE"));
                }

                // then the good records
                raw.send(new ProducerRecord<>(Topics.SYSCALL_EVENTS, null, T0 + 1, syscallKey, syscallValue));
                byte[] closer = value(TopicSpecs.SYSCALL_EVENTS, new SyscallEvent(HOST, (T0 + 70_000) * 1_000_000L, 1, 1,
                        "api", 0L, 0, "read", 4_000L, 1L, 1), client);
                raw.send(new ProducerRecord<>(Topics.SYSCALL_EVENTS, null, T0 + 70_000, syscallKey, closer));
                raw.send(new ProducerRecord<>(Topics.GOMAP_EVENTS, null, T0, mapKey, gomapValue));
                raw.send(new ProducerRecord<>(Topics.GOMAP_TRENDS, null, T0, trendKey, trendValue));
                raw.send(new ProducerRecord<>(Topics.SYSCALL_LATENCY, null, T0 + 60_000, windowKey, windowValue));
                raw.send(new ProducerRecord<>(Topics.SILENCES, null, T0, "good-silence".getBytes(), silenceValue));
                raw.send(new ProducerRecord<>(Topics.ALERTS, null, T0, "poison/x".getBytes(), alertValue)).get();

                // every poison record dead-lettered once, with where it came from, its bytes and the reason
                List<DeadLetter> letters = deadLetters(client, sent.size());
                System.out.printf("%d poison records sent, %d dead letters%n", sent.size(), letters.size());
                Map<String, DeadLetter> byPlace = new TreeMap<>();
                for (DeadLetter d : letters) {
                    System.out.println("  " + d.getTopic() + "@" + d.getOffset() + " (" + d.getConsumer() + "): " + d.getReason());
                    DeadLetter prev = byPlace.put(d.getTopic() + "@" + d.getPartition() + "@" + d.getOffset(), d);
                    assertEquals(null, prev, "dead-lettered twice: " + d);
                }
                assertEquals(sent.size(), letters.size(), "one letter per poison record");
                for (Sent s : sent) {
                    DeadLetter d = byPlace.get(s.topic() + "@" + s.partition() + "@" + s.offset());
                    assertTrue(d != null, "no dead letter for " + s.topic() + "@" + s.offset() + " (" + s.reason() + ")");
                    assertTrue(d.getReason().matches("(" + s.reason() + "): .*"), s.topic() + ": expected "
                            + s.reason() + ", got " + d.getReason());
                    assertEquals(1, d.getReason().lines().count(), "one line: " + d.getReason());
                    byte[] original = new byte[d.getValue().remaining()];
                    d.getValue().duplicate().get(original);
                    assertArrayEquals(s.value(), original, "original bytes kept");
                }

                // ... and the services carried on: the good records after the poison were processed
                List<String> windows = Outputs.read(client, TopicSpecs.SYSCALL_LATENCY, JsonViews::latencyWindow, 2,
                        Duration.ofSeconds(60), Duration.ofSeconds(1)).stream().filter(l -> l.contains(HOST + "\"")).toList();
                assertEquals(1, windows.size(), windows.toString());
                assertEquals(1, JsonViews.JSON.readTree(windows.get(0)).get("count").asLong(),
                        "the good event after the poison counted (the one with the corrupt key was not)");
                List<String> trends = Outputs.read(client, TopicSpecs.GOMAP_TRENDS, JsonViews::mapTrend, 2,
                        Duration.ofSeconds(60), Duration.ofSeconds(1));
                assertEquals(1, trends.stream().filter(l -> l.contains("\"" + HOST + "\"")).count(), trends.toString());
                List<String> alerts = Outputs.read(client, TopicSpecs.ALERTS,
                        io.harbinger.alerting.notify.AlertJson::toJson, 3, Duration.ofSeconds(60), Duration.ofSeconds(1));
                List<String> rulesFired = alerts.stream().map(l -> l.replaceAll(".*\"rule\":\"([^\"]+)\",\"severity\":\"([A-Z]+)\".*", "$2 $1")).sorted().toList();
                assertEquals(List.of("CRITICAL gomap-growth", "CRITICAL open-errors", "WARNING gomap-growth"), rulesFired,
                        "the good trend and window raised their alerts (the WARNING is the good record on the alert topic)");
                JsonNode silences = Http.get("http://127.0.0.1:" + alerting.httpPort() + "/v1/silences").json();
                assertEquals(1, silences.size(), silences.toString());
                assertEquals("good-silence", silences.get(0).get("id").asText());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (webhookCalls.get() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(3, webhookCalls.get(), "the sink delivered the three good alerts");
                assertEquals(null, alerting.unhealthy(), "alerting healthy");
                assertEquals(org.apache.kafka.streams.KafkaStreams.State.RUNNING, streams.streams().state());
            }
            // a restart reads the silences topic, poison included, into the global store again: it must start
            try (AlertingService again = Services.startAlerting(alertingConfig)) {
                JsonNode after = Http.get("http://127.0.0.1:" + again.httpPort() + "/v1/silences").json();
                assertEquals(1, after.size(), after.toString());
                assertEquals(null, again.unhealthy(), "alerting restarted over the poison records");
            }
            // the global store is rebuilt from its topic at every start, so its 5 poison records are dead-lettered
            // again (and only those)
            List<DeadLetter> all = deadLetters(client, 39);
            assertEquals(39, all.size());
            assertEquals(10, all.stream().filter(d -> d.getTopic().equals(Topics.SILENCES)).count());
        } finally {
            hook.stop(0);
        }
    }

    static <K, V> byte[] value(TopicSpec<K, V> spec, V v, Map<String, Object> client) {
        return spec.valueSerde(client).serializer().serialize(spec.name(), v);
    }

    static <K, V> byte[] key(TopicSpec<K, V> spec, K k, Map<String, Object> client) {
        return spec.keySerde(client).serializer().serialize(spec.name(), k);
    }

    static MapTrend trend(String host, long count, long tsMs) {
        return MapTrend.newBuilder().setHost(host).setPid(4000).setMapAddr(0xc000010000L).setComm("svc")
                .setTsMs(tsMs).setCount(count).setLog2Buckets(16).setOverflowBuckets(0L)
                .setLoadFactor(count / (8.0 * 65536)).setOverflowRatio(0.0).setLevel((double) count)
                .setTrendPerMin(0.0)
                .setForecast(GrowthForecast.newBuilder().setModel("test").setCredible(true).setDampingPerMin(1.0)
                        .setResidualSd(0).build())
                .build();
    }

    static SyscallLatencyWindow window(String host, long startMs) {
        return SyscallLatencyWindow.newBuilder().setHost(host).setComm("api").setSyscall("openat")
                .setWindowStartMs(startMs).setWindowEndMs(startMs + 60_000).setCount(100L).setErrors(50L)
                .setP50Ns(1_000L).setP99Ns(4_000L).setP999Ns(8_000L).setMaxNs(9_000L).build();
    }

    static List<DeadLetter> deadLetters(Map<String, Object> client, int expected) {
        var values = TopicSpecs.DEADLETTER.valueSerde(client).deserializer();
        List<DeadLetter> out = new ArrayList<>();
        for (var r : rawRecords(client, Topics.DEADLETTER, expected, Duration.ofSeconds(90), Duration.ofSeconds(3))) {
            out.add(values.deserialize(Topics.DEADLETTER, r));
        }
        return out;
    }

    static List<byte[]> rawRecords(Map<String, Object> client, String topic, int expected, Duration timeout,
                                   Duration quiet) {
        Map<String, Object> c = new HashMap<>(client);
        c.put("isolation.level", "read_committed");
        List<byte[]> out = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(c,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + quiet.toNanos();
                }
            }
        }
        return out;
    }
}
