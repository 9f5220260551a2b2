package io.harbinger.streams.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.SyscallKey;
import io.harbinger.serde.DeadLetterDeserializationHandler;
import io.harbinger.streams.ProcessorTopology;
import io.harbinger.streams.dashboard.Dashboard;
import io.harbinger.streams.json.JsonViews;
import io.harbinger.streams.latency.LatencySketches;
import io.harbinger.streams.latency.LatencyWindowAggregator;
import io.harbinger.streams.maps.MapTrendTopology;
import io.harbinger.streams.query.QueryServer;
import io.harbinger.streams.query.QueryService;
import io.harbinger.topics.TopicSpecs;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * One streams-processor instance: the Kafka Streams application (exactly-once v2, standbys) and its query API.
 * Scale out by starting more instances with the same application.id and distinct HTTP ports/hosts.
 */
public final class StreamsService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamsService.class);

    private final StreamsServiceConfig config;
    private final KafkaStreams streams;
    private final QueryServer http;
    private final Dashboard dashboard;
    private final PrometheusRegistry metrics = new PrometheusRegistry();

    public StreamsService(StreamsServiceConfig config) throws IOException {
        this.config = config;
        Topology topology = ProcessorTopology.build(config.processor());
        Properties props = new Properties();
        props.putAll(config.streamsProperties());
        // The HTTP port must be known before Kafka Streams starts, since it is advertised in application.server.
        int port = config.httpPort() == 0 ? freePort(config.httpBind()) : config.httpPort();
        HostInfo self = new HostInfo(config.advertisedHost(), port);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        this.streams = new KafkaStreams(topology, props);
        Map<String, Object> serde = config.processor().serdeConfig();
        Serde<SyscallKey> syscallKeys = TopicSpecs.SYSCALL_EVENTS.keySerde(serde);
        Serializer<MapKey> mapKeys = TopicSpecs.GOMAP_EVENTS.keySerde(serde).serializer();
        QueryService queries = new QueryService(streams, self, syscallKeys, mapKeys,
                new LatencySketches(config.processor().relativeAccuracy(), config.processor().maxSketchBins()),
                config.processor().window(), config.bearerToken());
        registerMetrics();
        this.http = new QueryServer(config.httpBind(), port, queries, config.bearerToken(), this::health, this::scrape);
        this.dashboard = Dashboard.mount(http, config.streamsProperties(), config.bearerToken());
    }

    public void start() {
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        http.start();
        log.info("streams processor started: {}", config);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public int httpPort() {
        return http.port();
    }

    /** The HTTP server, to mount more routes (the dashboard). */
    public QueryServer http() {
        return http;
    }

    private ObjectNode health() {
        KafkaStreams.State s = streams.state();
        ObjectNode n = JsonViews.JSON.createObjectNode();
        n.put("ok", s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING);
        n.put("state", s.name());
        return n;
    }

    private void registerMetrics() {
        String app = config.streamsProperties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        GaugeWithCallback.builder().name("harbinger_streams_running")
                .help("1 while the Kafka Streams application is RUNNING")
                .callback(cb -> cb.call(streams.state() == KafkaStreams.State.RUNNING ? 1 : 0)).register(metrics);
        CounterWithCallback.builder().name("harbinger_streams_deadlettered_records")
                .help("Input records sent to harbinger.deadletter because they did not deserialize or cannot be true")
                .callback(cb -> cb.call(DeadLetterDeserializationHandler.deadLettered(app))).register(metrics);
        // late events are dropped by the latency aggregator and the map trends; Kafka's own task-level count covers
        // the rest
        streamsMetric(true, "harbinger_streams_dropped_records",
                "Records dropped: syscall events late for their window (or without a key), Go map snapshots too late "
                        + "for their map's model, and those Kafka Streams drops itself",
                "dropped-records-total", "stream-task-metrics",
                LatencyWindowAggregator.DROPPED_EVENTS_METRIC, LatencyWindowAggregator.DROPPED_EVENTS_GROUP,
                MapTrendTopology.DROPPED_SNAPSHOTS_METRIC, MapTrendTopology.DROPPED_SNAPSHOTS_GROUP);
        streamsMetric(false, "harbinger_streams_process_rate", "Records processed per second", "process-rate",
                "stream-thread-metrics");
        streamsMetric(true, "harbinger_streams_processed_records", "Records processed", "process-total",
                "stream-thread-metrics");
    }

    /** Exposes the sum over all tags of Kafka Streams metrics given as (name, group) pairs. */
    private void streamsMetric(boolean counter, String name, String help, String... kafkaNameAndGroup) {
        java.util.function.DoubleSupplier value = () -> {
            double sum = 0;
            for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
                for (int i = 0; i < kafkaNameAndGroup.length; i += 2) {
                    if (e.getKey().name().equals(kafkaNameAndGroup[i])
                            && e.getKey().group().equals(kafkaNameAndGroup[i + 1])
                            && e.getValue().metricValue() instanceof Number n && Double.isFinite(n.doubleValue())) {
                        sum += n.doubleValue();
                    }
                }
            }
            return sum;
        };
        if (counter) {
            CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(metrics);
        } else {
            GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(metrics);
        }
    }

    private String scrape() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new PrometheusTextFormatWriter(false).write(out, metrics.scrape());
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort(String bind) throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(bind))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        http.close();
        if (dashboard != null) {
            dashboard.close();
        }
        streams.close(Duration.ofSeconds(30));
    }
}
