package io.harbinger.streams.app;

import io.harbinger.serde.DeadLetterDeserializationHandler;
import io.harbinger.streams.config.ProcessorConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The streams service's settings: Kafka Streams' own keys pass through unchanged; Harbinger's are below. Defaults
 * point at the embedded platform ({@code ./harbinger up}) and work as they are. Documented in docs/streams.md.
 *
 * @param streamsProperties all Kafka Streams / client properties (defaults filled in)
 * @param processor         the topology's settings
 * @param httpBind          {@code harbinger.http.bind} (127.0.0.1)
 * @param httpPort          {@code harbinger.http.port} (8090; 0 picks a free port)
 * @param advertisedHost    {@code harbinger.http.advertised.host} (the bind address): how peers reach this instance
 * @param bearerToken       {@code harbinger.http.token} (none): required on every endpoint but /healthz when set
 */
public record StreamsServiceConfig(Properties streamsProperties, ProcessorConfig processor, String httpBind,
                                   int httpPort, String advertisedHost, String bearerToken) {

    public static final String HTTP_BIND = "harbinger.http.bind";
    public static final String HTTP_PORT = "harbinger.http.port";
    public static final String HTTP_ADVERTISED_HOST = "harbinger.http.advertised.host";
    public static final String HTTP_TOKEN = "harbinger.http.token";

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    public static final String DEFAULT_REGISTRY = "http://127.0.0.1:8081/api/v1/confluent";

    /** Fills defaults into {@code props} (a copy) and validates. */
    public static StreamsServiceConfig from(Properties props, Path defaultStateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "harbinger-streams");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP);
        p.put("schema.registry.url", DEFAULT_REGISTRY);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        p.put(StreamsConfig.STATE_DIR_CONFIG, defaultStateDir.toString());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        // Exactly-once commits are synchronous round trips to the broker; Kafka's EOS default of 100 ms spent half the
        // stream thread's time waiting for them (bench). Results become visible at commit, so this bounds their delay.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        // Every task has one input partition: never wait for "other" inputs (this also skips Kafka's per-record
        // readiness bookkeeping, which formats log strings eagerly).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        // One stream thread per core: the topology is CPU-bound per record and its input has several partitions
        // (Kafka's default of 1 left the second core of a 2-core host to the broker and the JIT; bench: 1.4-1.6x).
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(Runtime.getRuntime().availableProcessors()));
        // Kafka Streams' 1000 records per poll made its per-poll bookkeeping a visible share of a ~1 us record;
        // 5000 (what the bench's plain consumer uses) is ~3 ms of processing between polls.
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "5000");
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, CompressedRocksDb.class.getName());
        p.put(StreamsConfig.producerPrefix("compression.type"), "lz4"); // output and changelog topics
        // Each commit writes every changed window (a few KB each) to the changelog in one burst, and closing windows
        // publish one result per key at once: 16 KB batches held ~4 records, and the broker's per-batch work took
        // 0.07 of a core more than 256 KB batches at full-speed replay (bench). Sends still go out at linger.ms and
        // every commit.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), "262144");
        p.put(HTTP_BIND, "127.0.0.1");
        p.put(HTTP_PORT, "8090");
        p.putAll(props);

        String bind = p.getProperty(HTTP_BIND);
        int port;
        try {
            port = Integer.parseInt(p.getProperty(HTTP_PORT).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(HTTP_PORT + " must be a port number, got '" + p.getProperty(HTTP_PORT) + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(HTTP_PORT + " must be within 0..65535");
        }
        String advertised = p.getProperty(HTTP_ADVERTISED_HOST, bind.equals("0.0.0.0") ? "127.0.0.1" : bind);
        String token = p.getProperty(HTTP_TOKEN);
        ProcessorConfig processor = ProcessorConfig.from(asMap(p));
        return new StreamsServiceConfig(p, processor, bind, port, advertised, token == null || token.isBlank() ? null : token);
    }

    /**
     * {@code file} with the {@code HARBINGER_STREAMS_*} variables of {@code env} laid over it (same keys, see
     * {@link io.harbinger.config.EnvironmentKeys}).
     */
    public static Properties withEnvironment(Properties file, Map<String, String> env) {
        Properties p = new Properties();
        p.putAll(file);
        p.putAll(io.harbinger.config.EnvironmentKeys.keys(io.harbinger.config.EnvironmentKeys.STREAMS, env));
        return p;
    }

    static Map<String, Object> asMap(Properties p) {
        Map<String, Object> m = new LinkedHashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v));
        return m;
    }

    @Override
    public String toString() {
        // Never print secrets (bearer token, SASL/registry passwords).
        return "StreamsServiceConfig[application.id=" + streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)
                + ", bootstrap.servers=" + streamsProperties.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)
                + ", http=" + httpBind + ":" + httpPort + ", token=" + (bearerToken == null ? "none" : "set") + "]";
    }
}
