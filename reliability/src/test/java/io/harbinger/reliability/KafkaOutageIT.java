package io.harbinger.reliability;

import io.harbinger.platform.testing.BlackholeProxy;

import io.harbinger.collector.CollectorConfig;
import io.harbinger.collector.CollectorService;
import io.harbinger.collector.CollectorSettings;
import io.harbinger.collector.CollectorStats;
import io.harbinger.collector.gomap.GoMapWatcher;
import io.harbinger.collector.syscall.SyscallProbeOptions;
import io.harbinger.platform.testing.BlackholeProxy;
import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.topics.Topics;
import jnr.ffi.LibraryLoader;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7, item 2: Kafka unreachable from the collector for 60 s at 50,000 events/s, then reachable again. The
 * collector runs for real (eBPF syscall probe, ring-buffer reader, publisher, Kafka sink with its defaults); the
 * load is a thread of this JVM named {@value #COMM} calling getppid at a paced 50,000/s. Two outages of 60 s: the only
 * broker of a cluster (its controller apart) shut down - connections refused, nothing listening - and started again
 * on the same port and log directory; and a network partition - every client byte goes through a TCP proxy that
 * drops everything, answers nothing, then heals. Held in both: 0 kernel drops (the ring-buffer reader never waits on
 * Kafka), every event the collector produced is either delivered or counted dropped, delivery resumes afterwards,
 * and what arrives on the topic is exactly the delivered count. The broker's shutdown leaves the producer without
 * the topic's metadata, so events of that outage cannot be queued in the producer's buffer and are counted dropped;
 * during the partition they are queued and delivered after it (see docs/reliability.md).
 */
class KafkaOutageIT {
    static final String COMM = "hbload";
    static final int RATE = 50_000;
    static final long OUTAGE_NS = TimeUnit.SECONDS.toNanos(60);

    /** The two calls the load thread needs. */
    public interface Sys {
        int getppid();

        int prctl(int option, String name, long a3, long a4, long a5);
    }

    /** How Kafka becomes unreachable and reachable again. */
    interface Outage {
        void begin() throws Exception;

        void end() throws Exception;
    }

    /** What one run saw: the collector's books at the outage's start and end and at the close, and the topic. */
    record Run(CollectorStats atStop, CollectorStats atStart, CollectorStats end, long outageNs, long loadCalls,
               double loadRate, long onTopic) {}

    @Test
    void brokerStoppedForSixtySecondsAtFiftyThousandPerSecond() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(
                EmbeddedKafkaCluster.Options.single().withSeparateController())) {
            kafka.createHarbingerTopics();
            BrokerServer broker = kafka.testKit().brokers().values().iterator().next();
            Run r = run(kafka.clientConfig(), new Outage() {
                @Override
                public void begin() {
                    broker.shutdown();
                    broker.awaitShutdown();
                }

                @Override
                public void end() {
                    broker.startup();
                }
            });
            assertEquals(r.atStop().delivered(), r.atStart().delivered(), "nothing delivered while the broker was away");
            assertTrue(r.end().delivered() - r.atStart().delivered() >= RATE, "delivery resumed after the restart: "
                    + (r.end().delivered() - r.atStart().delivered()));
        }
    }

    @Test
    void networkPartitionOfSixtySecondsAtFiftyThousandPerSecond() throws Exception {
        try (BlackholeProxy proxy = new BlackholeProxy();
             EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.single()
                     .withBrokerProperties(Map.of("advertised.listeners", "EXTERNAL://localhost:" + proxy.port())))) {
            proxy.start(Integer.parseInt(kafka.bootstrapServers().replaceAll(".*:", "")));
            kafka.createHarbingerTopics();
            Map<String, Object> client = new HashMap<>(kafka.clientConfig());
            client.put("bootstrap.servers", "localhost:" + proxy.port()); // every client byte goes through the proxy
            Run r = run(client, new Outage() {
                @Override
                public void begin() {
                    proxy.blackhole(true);
                }

                @Override
                public void end() {
                    proxy.blackhole(false);
                }
            });
            long producedAfter = r.end().produced() - r.atStart().produced();
            long deliveredAfter = r.end().delivered() - r.atStart().delivered();
            System.out.printf("after the partition: produced %d, delivered %d (%d of them queued during it)%n",
                    producedAfter, deliveredAfter, deliveredAfter - producedAfter);
            assertTrue(deliveredAfter > producedAfter + RATE, "events queued during the partition were delivered "
                    + "after it: " + (deliveredAfter - producedAfter));
        }
    }

    /**
     * The collector runs with the paced load for 3 s, {@code outage} begins and lasts 60 s, ends; the load goes on
     * until the collector delivers again, then 3 s more. Asserts the books and the topic.
     */
    private static Run run(Map<String, Object> kafkaClient, Outage outage) throws Exception {
        Map<String, Object> client = new HashMap<>(kafkaClient);
        client.put("schema.registry.url", TestSchemaRegistry.shared().url());
        CollectorSettings d = CollectorSettings.defaults();
        SyscallProbeOptions o = SyscallProbeOptions.defaults();
        // the load runs in this JVM: only its thread has the comm, so the collector's own threads stay out
        SyscallProbeOptions probe = new SyscallProbeOptions(o.minLatencyNs(), o.sampleEvery(), o.pids(),
                Set.of(COMM), o.cgroupIds(), o.syscalls(), o.attach(), o.startStorage(), o.ringBufferBytes(),
                false, o.batch(), o.batchFlushNs());
        CollectorConfig config = new CollectorConfig(new CollectorSettings("outage-it", true, probe, false,
                GoMapWatcher.Options.defaults(), d.queueCapacity(), d.mapQueueCapacity(), d.ringPollMs()), client,
                "127.0.0.1", 0);

        CollectorStats atStop;
        CollectorStats atStart;
        CollectorStats end;
        long outageNs;
        long loadNs;
        long loadCalls;
        try (CollectorService svc = CollectorService.start(config)) {
            Load load = new Load();
            load.start();
            Thread.sleep(3_000);
            long t0 = System.nanoTime();
            outage.begin();
            long stopped = System.nanoTime();
            Thread.sleep(500); // acknowledgements already received when the outage began are counted first
            atStop = svc.stats();
            System.out.printf("outage began (%.1f s); produced %d, delivered %d, dropped %d%n",
                    (stopped - t0) / 1e9, atStop.produced(), atStop.delivered(), atStop.dropped());
            LockSupport.parkNanos(OUTAGE_NS - (System.nanoTime() - stopped));
            atStart = svc.stats();
            outageNs = System.nanoTime() - stopped;
            outage.end();
            System.out.printf("outage ended after %.1f s; produced %d, delivered %d, dropped %d%n",
                    outageNs / 1e9, atStart.produced(), atStart.delivered(), atStart.dropped());
            // the load goes on until the collector delivers again (however long the broker takes), then 3 s more
            long resumeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (svc.stats().delivered() == atStart.delivered() && System.nanoTime() < resumeDeadline) {
                Thread.sleep(100);
            }
            System.out.printf("delivering again %.1f s after the outage ended%n",
                    (System.nanoTime() - stopped - outageNs) / 1e9);
            Thread.sleep(3_000);
            load.stop();
            loadNs = load.elapsedNs();
            loadCalls = load.calls.get();
            // the backlog of the outage drains; then close() adds nothing the books do not already hold
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            CollectorStats s = svc.stats();
            while (s.delivered() + s.dropped() < s.produced() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                s = svc.stats();
            }
            svc.close();
            end = svc.stats();
        }
        long onTopic = countOnTopic(client, end.delivered(), Duration.ofSeconds(60));
        double rate = loadCalls / (loadNs / 1e9);
        System.out.printf("load: %d getppid in %.1f s (%.0f/s); collector produced %d, delivered %d, dropped %d, "
                        + "kernel drops %d; on the topic %d%n", loadCalls, loadNs / 1e9, rate,
                end.produced(), end.delivered(), end.dropped(), end.kernelDrops(), onTopic);

        assertTrue(outageNs >= OUTAGE_NS, "unreachable for " + outageNs / 1e9 + " s");
        assertTrue(rate >= 0.9 * RATE, "load rate " + rate);
        assertTrue(end.produced() >= loadCalls, "every getppid produced an event");
        assertEquals(0, end.kernelDrops(), "nothing blocked the ring buffer");
        assertEquals(end.produced(), end.delivered() + end.dropped(), "delivered + dropped = produced");
        assertEquals(end.delivered(), onTopic, "what arrived on the topic is exactly what was delivered");
        long producedInOutage = atStart.produced() - atStop.produced();
        assertTrue(producedInOutage >= 0.9 * RATE * 60, "produced during the outage: " + producedInOutage);
        return new Run(atStop, atStart, end, outageNs, loadCalls, rate, onTopic);
    }

    /** Counts every record on the raw syscall topic (plain reads, nothing deduplicated), then 2 s more. */
    static long countOnTopic(Map<String, Object> client, long expected, Duration timeout) {
        Map<String, Object> c = new HashMap<>(client);
        c.keySet().removeIf(k -> k.startsWith("schema.registry."));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "outage-count-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        long n = 0;
        try (var consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.SYSCALL_EVENTS));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                n += consumer.poll(Duration.ofMillis(200)).count();
                if (n >= expected && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                }
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
            System.out.printf("end offsets of %s: %s%n", Topics.SYSCALL_EVENTS,
                    ends.values().stream().mapToLong(Long::longValue).sum());
        }
        return n;
    }

    /** getppid at a paced {@link #RATE}/s from a thread whose kernel comm is {@link #COMM}. */
    static final class Load {
        final AtomicLong calls = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, COMM);
        private volatile long startNs;
        private volatile long endNs;

        void start() {
            thread.start();
        }

        private void run() {
            Sys sys = LibraryLoader.create(Sys.class).failImmediately().load("c");
            sys.prctl(15 /* PR_SET_NAME */, COMM, 0, 0, 0);
            long t0 = System.nanoTime();
            startNs = t0;
            long i = 0;
            while (running.get()) {
                for (int k = 0; k < 64; k++) {
                    sys.getppid();
                }
                i += 64;
                calls.set(i);
                long due = t0 + (long) (i * (1e9 / RATE));
                long now = System.nanoTime();
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                }
            }
            endNs = System.nanoTime();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        long elapsedNs() {
            return endNs - startNs;
        }
    }
}
