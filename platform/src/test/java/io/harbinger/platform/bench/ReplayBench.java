package io.harbinger.platform.bench;

import io.harbinger.jsonl.JsonlReader;
import io.harbinger.jsonl.JsonlWriter;
import io.harbinger.platform.Platform;
import io.harbinger.platform.PlatformConfig;
import io.harbinger.platform.Ports;
import io.harbinger.platform.replay.RecordingReplayer;
import io.harbinger.platform.replay.ReplayConfig;
import io.harbinger.platform.testing.KafkaProducerPerformance;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.serde.SerdeConfig;
import io.harbinger.serde.SpecificAvroDeserializer;
import io.harbinger.serde.SpecificAvroSerializer;
import io.harbinger.topics.Topics;
import org.apache.avro.specific.SpecificRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Serde cost per event, and replay throughput into the real broker beside Kafka's own ProducerPerformance with the
 * same record size and producer settings, in one run against one embedded platform (own JVMs, 127.0.0.1).
 * usage: ReplayBench STATE_DIR SAMPLE_JSONL COPIES    (bench/platform/replay-throughput.sh runs it)
 */
public final class ReplayBench {
    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        Path sample = Path.of(args[1]);
        int copies = Integer.parseInt(args[2]);
        Files.createDirectories(state);

        // a recording: the sample's syscall events, COPIES times, each copy shifted in time
        List<SyscallEvent> events = new ArrayList<>();
        try (JsonlReader r = JsonlReader.open(sample)) {
            while (r.hasNext()) {
                SpecificRecord e = r.next();
                if (e instanceof SyscallEvent s) {
                    events.add(s);
                }
            }
        }
        Path recording = state.resolve("recording.jsonl");
        try (JsonlWriter w = JsonlWriter.create(recording)) {
            for (int c = 0; c < copies; c++) {
                for (SyscallEvent e : events) {
                    w.write(SyscallEvent.newBuilder(e).setTsNs(e.getTsNs() + c * 3_600_000_000_000L).build());
                }
            }
        }
        long n = (long) events.size() * copies;
        System.out.printf("recording: %d syscall events, %d bytes%n", n, Files.size(recording));

        PlatformConfig config = PlatformConfig.defaults(state)
                .withPorts(Ports.pickFree(), Ports.pickFree(), Ports.pickFree(), Ports.pickFree()).withDetached(false);
        Platform platform = new Platform(config);
        try {
            platform.up();
            Map<String, Object> client = Map.of("bootstrap.servers", config.bootstrapServers(),
                    SerdeConfig.SCHEMA_REGISTRY_URL, config.registryUrl());

            // JSONL parse alone
            long t0 = System.nanoTime();
            long parsed = 0;
            for (int rep = 0; rep < 2; rep++) {
                t0 = System.nanoTime();
                parsed = 0;
                try (JsonlReader r = JsonlReader.open(recording)) {
                    while (r.hasNext()) {
                        r.next();
                        parsed++;
                    }
                }
            }
            double parseNs = (System.nanoTime() - t0) / (double) parsed;

            // serde alone: encode and decode, warmed up, over the sample's events
            var ser = new SpecificAvroSerializer<>(SyscallEvent.class);
            ser.configure(client, false);
            var keySer = new SpecificAvroSerializer<>(SyscallKey.class);
            keySer.configure(client, true);
            var de = new SpecificAvroDeserializer<>(SyscallEvent.class);
            de.configure(client, false);
            byte[][] encoded = new byte[events.size()][];
            long valueBytes = 0;
            double encodeNs = 0;
            double decodeNs = 0;
            for (int rep = 0; rep < 5; rep++) {
                long a = System.nanoTime();
                for (int i = 0; i < events.size(); i++) {
                    encoded[i] = ser.serialize(Topics.SYSCALL_EVENTS, events.get(i));
                }
                long b = System.nanoTime();
                long sink = 0;
                for (byte[] bytes : encoded) {
                    sink += de.deserialize(Topics.SYSCALL_EVENTS, bytes).getLatencyNs();
                }
                long c = System.nanoTime();
                encodeNs = (b - a) / (double) events.size();
                decodeNs = (c - b) / (double) events.size();
                if (sink == 42) {
                    System.out.print("");
                }
            }
            long keyBytes = 0;
            for (int i = 0; i < events.size(); i++) {
                valueBytes += encoded[i].length;
                SyscallEvent e = events.get(i);
                keyBytes += keySer.serialize(Topics.SYSCALL_EVENTS, new SyscallKey(e.getHost(), e.getComm(), e.getSyscall())).length;
            }
            int recordSize = (int) Math.round((valueBytes + keyBytes) / (double) events.size());
            System.out.printf("serde: encode %.0f ns/event, decode %.0f ns/event (SyscallEvent, %d B value + %d B key avg)%n",
                    encodeNs, decodeNs, valueBytes / events.size(), keyBytes / events.size());
            System.out.printf("jsonl parse: %.0f ns/event%n", parseNs);

            RecordingReplayer.Result replay = new RecordingReplayer(
                    new ReplayConfig(recording, OptionalDouble.empty(), client)).run();
            System.out.printf("replay: %d events in %.2f s = %.0f events/s%n", replay.events(),
                    replay.elapsed().toMillis() / 1000.0, replay.eventsPerSecond());

            KafkaProducerPerformance.Result kpp = KafkaProducerPerformance.run(config.bootstrapServers(),
                    "harbinger.bench.replay-perf", n, recordSize, List.of("acks=all", "enable.idempotence=true",
                            "compression.type=lz4", "linger.ms=10", "batch.size=262144"));
            System.out.println("  " + kpp.summary());
            double perf = kpp.recordsPerSecond();
            System.out.printf("ProducerPerformance: %.0f records/s of %d B%n", perf, recordSize);
            System.out.printf("ratio replay/ProducerPerformance: %.2f%n", replay.eventsPerSecond() / perf);
        } finally {
            platform.down();
        }
    }

}
