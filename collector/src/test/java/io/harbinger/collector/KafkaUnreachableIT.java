package io.harbinger.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harbinger.collector.gomap.GoMapWatcher;
import io.harbinger.collector.syscall.SyscallProbeOptions;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Kafka never reachable: the ring-buffer side never waits, every event is counted (delivered 0, dropped all,
 * exactly), and shutdown stays bounded.
 */
class KafkaUnreachableIT {
    @Test
    void countsEveryEventAndStopsQuickly() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CollectorSettings d = CollectorSettings.defaults();
        CollectorConfig config = new CollectorConfig(new CollectorSettings("unreachable-it", true,
                SyscallProbeOptions.defaults().withComms(Set.of("hbwork_c")), false, GoMapWatcher.Options.defaults(),
                d.queueCapacity(), d.mapQueueCapacity(), d.ringPollMs()),
                Map.of("bootstrap.servers", "127.0.0.1:" + closedPort,
                        "schema.registry.url", "http://127.0.0.1:" + closedPort + "/api/v1/confluent",
                        "schema.registry.retries", "0"),
                "127.0.0.1", 0);
        CollectorStats stats;
        long closeMs;
        try (CollectorService svc = CollectorService.start(config)) {
            Process p = new ProcessBuilder(Workloads.syscalls().toString(), "20000", "0", "0", "0").inheritIO().start();
            assertEquals(0, p.waitFor());
            long t0 = System.nanoTime();
            svc.close();
            closeMs = (System.nanoTime() - t0) / 1_000_000;
            stats = svc.stats();
        }
        assertEquals(0, stats.kernelDrops(), "the ring-buffer reader kept up");
        assertTrue(stats.produced() >= 20_000, "produced " + stats.produced());
        assertEquals(0, stats.delivered());
        assertEquals(stats.produced(), stats.delivered() + stats.dropped(), "delivered + dropped = produced");
        assertTrue(closeMs < 30_000, "shutdown took " + closeMs + " ms");
    }
}
