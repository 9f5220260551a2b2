package io.harbinger.collector.publish;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes to the raw-event topics with CONTRACTS.md keys. The producer is byte[]/byte[]: keys are
 * serialized once per (comm, syscall) and cached, values by the Confluent-wire-format serializer. Every send
 * ends in the callback as delivered or dropped (delivery timeout), or is counted dropped when send() itself
 * throws (buffer full past max.block.ms, serialization). Only the publisher thread calls in here, so when
 * Kafka is unreachable it is that thread that waits, never the ring-buffer reader.
 */
public final class KafkaSink implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    private final Producer<byte[], byte[]> producer;
    private final String syscallTopic;
    private final String goMapTopic;
    private final Serializer<SyscallKey> syscallKeys;
    private final Serializer<SyscallEvent> syscallValues;
    private final Serializer<MapKey> mapKeys;
    private final Serializer<GoMapEvent> mapValues;
    private final DeliveryCounters counters = new DeliveryCounters();
    private final AtomicLong failuresLogged = new AtomicLong();
    private final Callback callback = (metadata, exception) -> {
        if (exception == null) {
            counters.delivered();
        } else {
            counters.dropped();
            logFailure(exception);
        }
    };
    // comm -> syscall name -> serialized SyscallKey (the Avro-object path)
    private final Map<String, Map<String, byte[]>> keyCache = new HashMap<>();
    private final SyscallKeyCache hotKeys;
    private final SyscallEventEncoder encoder = new SyscallEventEncoder();
    private String host;
    private byte[] hostUtf8;
    private int syscallSchemaId = -1;
    private static final long UNAVAILABLE_BACKOFF_NS = 1_000_000_000L;
    private static final java.time.Duration CLOSE_TIMEOUT = java.time.Duration.ofSeconds(10);
    private long blockedUntil;

    public KafkaSink(Producer<byte[], byte[]> producer, String syscallTopic, String goMapTopic,
                     Serializer<SyscallKey> syscallKeys, Serializer<SyscallEvent> syscallValues,
                     Serializer<MapKey> mapKeys, Serializer<GoMapEvent> mapValues) {
        this.producer = producer;
        this.syscallTopic = syscallTopic;
        this.goMapTopic = goMapTopic;
        this.syscallKeys = syscallKeys;
        this.syscallValues = syscallValues;
        this.mapKeys = mapKeys;
        this.mapValues = mapValues;
        this.hotKeys = new SyscallKeyCache((comm, syscall) -> syscallKey(host, comm, syscall));
    }

    @Override
    public void syscall(SyscallEvent e) {
        if (unavailable()) {
            return;
        }
        try {
            byte[] key = syscallKey(e.getHost(), e.getComm(), e.getSyscall());
            byte[] value = syscallValues.serialize(syscallTopic, e);
            producer.send(new ProducerRecord<>(syscallTopic, null, e.getTsNs() / 1_000_000L, key, value), callback);
        } catch (RuntimeException ex) {
            counters.dropped();
            logFailure(ex);
        }
    }

    /**
     * Hot path: the value is encoded straight from the fields. The schema id comes from the first event,
     * which goes through the registry-aware serializer (registering or looking up the schema).
     */
    @Override
    public void syscall(String host, long tsNs, int pid, int tid, String comm, long cgroupId, int syscallNr,
                        String syscall, long latencyNs, long ret, int sampleWeight) {
        if (unavailable()) {
            return;
        }
        if (syscallSchemaId < 0) {
            SyscallEvent first = new SyscallEvent(host, tsNs, pid, tid, comm, cgroupId, syscallNr, syscall, latencyNs,
                    ret, sampleWeight);
            try {
                byte[] v = syscallValues.serialize(syscallTopic, first);
                syscallSchemaId = ((v[1] & 0xff) << 24) | ((v[2] & 0xff) << 16) | ((v[3] & 0xff) << 8) | (v[4] & 0xff);
            } catch (RuntimeException ex) {
                counters.dropped();
                logFailure(ex);
                return;
            }
        }
        try {
            if (!host.equals(this.host)) { // one host per collector: set once
                this.host = host;
                this.hostUtf8 = SyscallKeyCache.utf8(host);
                hotKeys.clear();
            }
            SyscallKeyCache.Entry k = hotKeys.get(comm, syscallNr, syscall);
            byte[] key = k.key();
            byte[] value = encoder.encode(syscallSchemaId, hostUtf8, tsNs, pid, tid, k.commUtf8(), cgroupId,
                    syscallNr, k.syscallUtf8(), latencyNs, ret, sampleWeight);
            producer.send(new ProducerRecord<>(syscallTopic, null, tsNs / 1_000_000L, key, value), callback);
        } catch (RuntimeException ex) {
            counters.dropped();
            logFailure(ex);
        }
    }

    @Override
    public void goMap(GoMapEvent e) {
        if (unavailable()) {
            return;
        }
        try {
            byte[] key = mapKeys.serialize(goMapTopic, new MapKey(e.getHost(), e.getPid(), e.getMapAddr()));
            byte[] value = mapValues.serialize(goMapTopic, e);
            producer.send(new ProducerRecord<>(goMapTopic, null, e.getTsNs() / 1_000_000L, key, value), callback);
        } catch (RuntimeException ex) {
            counters.dropped();
            logFailure(ex);
        }
    }

    private byte[] syscallKey(String host, String comm, String syscall) {
        Map<String, byte[]> byName = keyCache.get(comm);
        if (byName == null) {
            if (keyCache.size() > 100_000) {
                keyCache.clear();
            }
            byName = new HashMap<>();
            keyCache.put(comm, byName);
        }
        byte[] k = byName.get(syscall);
        if (k == null) {
            k = syscallKeys.serialize(syscallTopic, new SyscallKey(host, comm, syscall));
            byName.put(syscall, k);
        }
        return k;
    }

    /**
     * While Kafka cannot take records (send() timed out: no metadata, or the producer buffer stayed full for
     * max.block.ms) or the schema registry does not answer, events are counted dropped at once for a second instead of blocking max.block.ms each, so
     * the publisher keeps up with the ring buffer and shutdown stays quick. Then sending is tried again.
     */
    private boolean unavailable() {
        if (blockedUntil != 0 && System.nanoTime() - blockedUntil < 0) {
            counters.dropped();
            return true;
        }
        return false;
    }

    private void logFailure(Exception ex) {
        if (ex instanceof org.apache.kafka.common.errors.TimeoutException
                || (ex instanceof io.harbinger.serde.WireFormatException w
                    && w.reason() == io.harbinger.serde.WireFormatException.Reason.REGISTRY_UNAVAILABLE)) {
            blockedUntil = System.nanoTime() + UNAVAILABLE_BACKOFF_NS;
        }
        long n = failuresLogged.incrementAndGet();
        if (n <= 10 || Long.bitCount(n) == 1) {
            LOG.warn("dropped an event bound for Kafka ({} so far): {}", counters.droppedCount(), ex.toString());
        }
    }

    /** Sends what is batched now; acknowledgements are awaited by {@link #close()}, bounded. */
    @Override
    public void flush() {
        // producer.flush() would wait up to delivery.timeout.ms while Kafka is away; close() bounds it
    }

    @Override
    public DeliveryCounters counters() {
        return counters;
    }

    /**
     * Waits up to 10 s for outstanding acknowledgements; what is still undelivered then is failed by the
     * producer and counted dropped in the callback, so the books stay exact.
     */
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
