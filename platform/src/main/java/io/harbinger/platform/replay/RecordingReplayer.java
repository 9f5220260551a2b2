package io.harbinger.platform.replay;

import io.harbinger.jsonl.JsonlFormatException;
import io.harbinger.jsonl.JsonlReader;
import io.harbinger.platform.KafkaReachability;
import io.harbinger.platform.PlatformException;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.topics.TopicSpecs;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a JSONL recording to the raw topics through the registry serde: syscall events to
 * {@code harbinger.syscall.events} keyed (host, comm, syscall), Go map snapshots to {@code harbinger.gomap.events}
 * keyed (host, pid, map_addr), each with its event time ({@code ts_ns}, in ms) as the record timestamp.
 */
public final class RecordingReplayer {

    /** What was published and how fast. */
    public record Result(long syscallEvents, long gomapEvents, Duration elapsed) {
        public long events() {
            return syscallEvents + gomapEvents;
        }

        public double eventsPerSecond() {
            return events() / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    private final ReplayConfig config;

    public RecordingReplayer(ReplayConfig config) {
        this.config = config;
    }

    public Result run() {
        if (!Files.isRegularFile(config.input())) {
            throw new PlatformException("cannot read " + config.input() + (Files.isDirectory(config.input())
                    ? ": is a directory, not a recording" : ": no such file"));
        }
        KafkaReachability.requireTopic(config.clientConfig(), TopicSpecs.SYSCALL_EVENTS.name(), Duration.ofSeconds(10));
        Map<String, Object> serdeConfig = config.clientConfig();
        Serializer<SyscallKey> syscallKeys = TopicSpecs.SYSCALL_EVENTS.keySerde(serdeConfig).serializer();
        Serializer<SyscallEvent> syscallValues = TopicSpecs.SYSCALL_EVENTS.valueSerde(serdeConfig).serializer();
        Serializer<MapKey> mapKeys = TopicSpecs.GOMAP_EVENTS.keySerde(serdeConfig).serializer();
        Serializer<GoMapEvent> mapValues = TopicSpecs.GOMAP_EVENTS.valueSerde(serdeConfig).serializer();
        String syscallTopic = TopicSpecs.SYSCALL_EVENTS.name();
        String gomapTopic = TopicSpecs.GOMAP_EVENTS.name();

        ReplayPacer pacer = new ReplayPacer(config.speed());
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        AtomicLong failed = new AtomicLong();
        long syscalls = 0;
        long gomaps = 0;
        long t0 = System.nanoTime();
        try (JsonlReader reader = JsonlReader.open(config.input());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            while (reader.hasNext()) {
                SpecificRecord event = reader.next();
                ProducerRecord<byte[], byte[]> record;
                long tsNs;
                if (event instanceof SyscallEvent e) {
                    tsNs = e.getTsNs();
                    SyscallKey key = new SyscallKey(e.getHost(), e.getComm(), e.getSyscall());
                    record = new ProducerRecord<>(syscallTopic, null, tsNs / 1_000_000L,
                            syscallKeys.serialize(syscallTopic, key), syscallValues.serialize(syscallTopic, e));
                    syscalls++;
                } else if (event instanceof GoMapEvent e) {
                    tsNs = e.getTsNs();
                    MapKey key = new MapKey(e.getHost(), e.getPid(), e.getMapAddr());
                    record = new ProducerRecord<>(gomapTopic, null, tsNs / 1_000_000L,
                            mapKeys.serialize(gomapTopic, key), mapValues.serialize(gomapTopic, e));
                    gomaps++;
                } else {
                    throw new PlatformException(reader.source() + ":" + reader.lineNumber() + ": unexpected event type "
                            + event.getSchema().getName());
                }
                long wait = pacer.waitNanos(tsNs, System.nanoTime());
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                producer.send(record, (md, ex) -> {
                    if (ex != null) {
                        failed.incrementAndGet();
                        sendFailure.compareAndSet(null, ex);
                    }
                });
                if (sendFailure.get() != null) {
                    break;
                }
            }
            producer.flush();
        } catch (JsonlFormatException e) {
            // the producer is closed (and flushed) by now: what came before the bad line is published
            throw new PlatformException("replay stopped at " + e.getMessage() + " (" + (syscalls + gomaps)
                    + " events before it were published)", e);
        } catch (NoSuchFileException e) {
            throw new PlatformException("cannot read " + config.input() + ": no such file");
        } catch (IOException e) {
            throw new PlatformException("cannot read " + config.input() + ": " + e.getMessage(), e);
        } finally {
            syscallKeys.close();
            syscallValues.close();
            mapKeys.close();
            mapValues.close();
        }
        if (sendFailure.get() != null) {
            throw new PlatformException("failed to publish " + failed.get() + " of " + (syscalls + gomaps)
                    + " events: " + sendFailure.get().getMessage(), sendFailure.get());
        }
        return new Result(syscalls, gomaps, Duration.ofNanos(System.nanoTime() - t0));
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> p = new HashMap<>(config.clientConfig());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "harbinger-replay");
        return p;
    }
}
