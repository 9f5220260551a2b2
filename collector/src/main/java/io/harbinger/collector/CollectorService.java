package io.harbinger.collector;

import io.harbinger.collector.metrics.CollectorMetrics;
import io.harbinger.collector.metrics.MetricsServer;
import io.harbinger.collector.publish.KafkaPublishing;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code harbinger collector}: the daemon. Publishes to Kafka until SIGTERM/SIGINT (a shutdown hook detaches
 * the probes, publishes what is queued and flushes) or a fatal error (same path, non-zero exit).
 */
public final class CollectorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorService.class);

    private final Collector collector;
    private final MetricsServer metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean closed;

    private CollectorService(Collector collector, MetricsServer metrics) {
        this.collector = collector;
        this.metrics = metrics;
    }

    public static CollectorService start(CollectorConfig config) {
        Collector c = Collector.start(config.settings(), () -> KafkaPublishing.sink(config.kafka()));
        MetricsServer m = null;
        try {
            if (config.metricsPort() != 0) {
                m = new MetricsServer(config.metricsBind(), config.metricsPort(), config.metricsToken(),
                        new CollectorMetrics(c::stats).registry());
                LOG.info("metrics on http://{}:{}/metrics", config.metricsBind(), m.port());
            }
        } catch (IOException e) {
            c.close();
            throw new CollectorConfig.ConfigException("cannot serve metrics on " + config.metricsBind() + ":"
                    + config.metricsPort() + ": " + e.getMessage());
        }
        return new CollectorService(c, m);
    }

    /** Runs until SIGTERM/SIGINT or a fatal publisher error; returns the final stats. */
    public static CollectorStats runUntilStopped(CollectorConfig config) {
        CollectorService s = start(config);
        AtomicReference<CollectorStats> result = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            s.close();
            s.stopped.countDown();
        }, "harbinger-collector-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (s.stopped.getCount() > 0) {
                if (s.collector.failure() != null) {
                    s.close();
                    throw new IllegalStateException("collector stopped: " + s.collector.failure().getMessage(),
                            s.collector.failure());
                }
                s.stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.close();
        }
        result.set(s.stats());
        return result.get();
    }

    public CollectorStats stats() {
        return collector.stats();
    }

    public int metricsPort() {
        return metrics == null ? 0 : metrics.port();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            collector.close();
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            CollectorStats st = collector.stats();
            LOG.info("collector stopped: produced {}, published {}, dropped in user space {}, kernel drops {}",
                    st.produced(), st.delivered(), st.dropped(), st.kernelDrops() + st.goMapKernelDrops());
        }
    }
}
