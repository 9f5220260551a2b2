package io.harbinger.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.alerting.api.AlertView;
import io.harbinger.alerting.api.AlertingBackend;
import io.harbinger.alerting.api.AlertingHttpServer;
import io.harbinger.alerting.notify.HttpSink;
import io.harbinger.alerting.notify.SinkConfig;
import io.harbinger.alerting.notify.SinkRunner;
import io.harbinger.alerting.state.AlertEntry;
import io.harbinger.schema.Silence;
import io.harbinger.serde.DeadLetterDeserializationHandler;
import io.harbinger.serde.WireFormatException;
import io.harbinger.topics.TopicSpecs;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The alerting service: the {@link AlertTopology} in a KafkaStreams instance (exactly-once v2), the REST API, and
 * the HTTP sinks each on its own consumer group. Only this class and the sinks touch Kafka or HTTP.
 */
public final class AlertingService implements AlertingBackend, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertingService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SILENCE_VISIBLE_WAIT = Duration.ofSeconds(10);

    private final AlertingConfig config;
    private final KafkaStreams streams;
    private final KafkaProducer<String, Silence> silenceProducer;
    private final AlertingHttpServer http;
    private final HostInfo self;
    private final List<SinkRunner> sinks = new ArrayList<>();
    private final List<Thread> sinkThreads = new ArrayList<>();
    private final HttpClient peers = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AutoCloseable metricsHandle;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private volatile Throwable fatal;
    private final java.util.concurrent.atomic.LongAdder registryRetries = new java.util.concurrent.atomic.LongAdder();

    private AlertingService(AlertingConfig config) throws IOException {
        this.config = config;
        this.http = AlertingHttpServer.start(config.httpHost(), config.httpPort(), config.httpToken(), this,
                Clock.systemUTC());
        try {
            Properties props = config.streamsProperties();
            // Peers reach this instance's REST API at application.server; default: the bound address.
            props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, config.httpHost() + ":" + http.port());
            this.self = HostInfo.buildFromEndpoint(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
            this.streams = new KafkaStreams(AlertTopology.build(config), props);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                    stopped.countDown();
                }
            });
            streams.setUncaughtExceptionHandler(e -> {
                WireFormatException registryDown = WireFormatException.registryUnavailableCause(e);
                if (registryDown != null) {
                    // Nothing is wrong with the record: its schema (or its alert's) could not be fetched. The task's
                    // transaction is aborted; a new thread processes it again from the last commit.
                    registryRetries.increment();
                    AlertingMetrics.shared().registryRetries.inc();
                    log.warn("schema registry unavailable, retrying from the last commit: {}", registryDown.getMessage());
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
                }
                fatal = e;
                log.error("alerting stopped: {}", e.toString(), e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            Map<String, Object> producerConfig = clientConfig();
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-silences");
            this.silenceProducer = new KafkaProducer<>(producerConfig,
                    TopicSpecs.SILENCES.keySerde(config.kafka()).serializer(),
                    TopicSpecs.SILENCES.valueSerde(config.kafka()).serializer());
        } catch (RuntimeException e) {
            // a config Kafka refuses (ConfigException and friends): release the port before failing
            http.close();
            throw e;
        }
        this.metricsHandle = AlertingMetrics.shared().addInstance(this::countsByStatus,
                () -> DeadLetterDeserializationHandler.deadLettered(config.applicationId()));
    }

    /** Starts everything; {@link #close()} stops it. */
    public static AlertingService start(AlertingConfig config) throws IOException {
        AlertingService s = new AlertingService(config);
        try {
            s.streams.start();
        } catch (org.apache.kafka.common.KafkaException e) {
            // e.g. the global (silence) store cannot reach Kafka: authentication, authorization, missing topic
            s.close();
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new org.apache.kafka.common.KafkaException("failed to start Kafka Streams: "
                    + root.getClass().getSimpleName() + ": " + root.getMessage(), e);
        }
        for (SinkConfig c : config.sinks()) {
            SinkRunner r = new SinkRunner(new HttpSink(c), config.kafka(), config.applicationId(), config.sinkStart());
            Thread t = new Thread(r, "alerting-sink-" + c.name());
            t.setDaemon(true);
            t.start();
            s.sinks.add(r);
            s.sinkThreads.add(t);
        }
        log.info("alerting started: {} rules, REST on {}:{}, {} sinks", config.rules().rules().size(),
                config.httpHost(), s.http.port(), config.sinks().size());
        return s;
    }

    /**
     * Runs until SIGTERM/SIGINT (exit 0) or until the Streams instance stops by itself (exit 1, the cause on
     * stderr as one line).
     */
    public static int runUntilStopped(AlertingConfig config, java.io.PrintWriter err) throws IOException,
            InterruptedException {
        AlertingService s = start(config);
        Thread hook = new Thread(() -> {
            s.close();
            s.stopped.countDown();
        }, "alerting-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        s.stopped.await();
        if (s.fatal == null && s.streams.state() != KafkaStreams.State.ERROR) {
            return 0; // the hook is closing the service
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        Throwable cause = s.fatal;
        while (cause != null && cause.getCause() != null && cause.getMessage() != null
                && cause.getMessage().contains("Exception caught in process")) {
            cause = cause.getCause();
        }
        err.println("harbinger alerting: stopped: " + (cause == null ? "streams " + s.streams.state()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage()));
        err.flush();
        s.close();
        return 1;
    }

    public int httpPort() {
        return http.port();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Waits until the Streams instance is RUNNING. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State st = streams.state();
            if (st == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (st == KafkaStreams.State.ERROR || st == KafkaStreams.State.NOT_RUNNING
                    || st == KafkaStreams.State.PENDING_ERROR) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Stream threads replaced because the schema registry did not answer. */
    public long registryRetries() {
        return registryRetries.sum();
    }

    /** Why the service stopped by itself, or null. */
    public Throwable fatal() {
        return fatal;
    }

    // --- AlertingBackend --------------------------------------------------------------------------------------

    @Override
    public List<ObjectNode> alerts(AlertView.Filter filter, boolean localOnly) {
        List<ObjectNode> out = new ArrayList<>();
        for (AlertEntry e : localEntries(e -> filter.accepts(e.state().status()))) {
            out.add(AlertView.toJson(e, config.rules().byName(e.rule()).orElse(null)));
        }
        if (localOnly) {
            return out;
        }
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            HostInfo h = m.hostInfo();
            if (h.equals(self) || h.port() <= 0) {
                continue;
            }
            out.addAll(fromPeer(h, filter));
        }
        return out;
    }

    private List<AlertEntry> localEntries(Predicate<AlertEntry> keep) {
        List<AlertEntry> out = new ArrayList<>();
        for (String store : List.of(AlertTopology.MAP_ALERT_STORE, AlertTopology.LATENCY_ALERT_STORE)) {
            try {
                ReadOnlyKeyValueStore<String, AlertEntry> s = streams.store(
                        StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
                try (KeyValueIterator<String, AlertEntry> it = s.all()) {
                    it.forEachRemaining(kv -> {
                        if (keep.test(kv.value)) {
                            out.add(kv.value);
                        }
                    });
                }
            } catch (InvalidStateStoreException e) {
                throw new Unavailable("alert stores not queryable yet (" + streams.state() + "): retry shortly");
            }
        }
        return out;
    }

    private List<ObjectNode> fromPeer(HostInfo h, AlertView.Filter filter) {
        URI uri = URI.create("http://" + h.host() + ":" + h.port() + "/v1/alerts?local=true&state="
                + filter.name().toLowerCase(java.util.Locale.ROOT));
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
        if (config.httpToken() != null) {
            req.header("Authorization", "Bearer " + config.httpToken());
        }
        try {
            HttpResponse<byte[]> resp = peers.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() != 200) {
                throw new Unavailable("instance " + h.host() + ":" + h.port() + " answered " + resp.statusCode());
            }
            List<ObjectNode> out = new ArrayList<>();
            for (JsonNode n : JSON.readTree(resp.body())) {
                out.add((ObjectNode) n);
            }
            return out;
        } catch (IOException e) {
            throw new Unavailable("instance " + h.host() + ":" + h.port() + " unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    @Override
    public Silence createSilence(Silence silence) {
        send(silence.getId(), silence);
        awaitSilence(silence.getId(), true);
        return silence;
    }

    @Override
    public boolean deleteSilence(String id) {
        if (silenceStore().get(id) == null) {
            return false;
        }
        send(id, null);
        awaitSilence(id, false);
        return true;
    }

    @Override
    public List<Silence> silences() {
        List<Silence> out = new ArrayList<>();
        try (KeyValueIterator<String, Silence> it = silenceStore().all()) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    private void send(String id, Silence value) {
        try {
            silenceProducer.send(new ProducerRecord<>(Topics.SILENCES, id, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new Unavailable("cannot write to " + Topics.SILENCES + ": " + e.getMessage());
        }
    }

    /** Read-your-writes: wait (bounded) until the global store shows the change. */
    private void awaitSilence(String id, boolean present) {
        long deadline = System.nanoTime() + SILENCE_VISIBLE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if ((silenceStore().get(id) != null) == present) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("silence {} written but not yet visible after {}", id, SILENCE_VISIBLE_WAIT);
    }

    private ReadOnlyKeyValueStore<String, Silence> silenceStore() {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(AlertTopology.SILENCE_STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("silence store not queryable yet (" + streams.state() + "): retry shortly");
        }
    }

    @Override
    public String unhealthy() {
        if (streams == null) {
            return "starting"; // the REST API is up before the constructor has created Kafka Streams
        }
        KafkaStreams.State st = streams.state();
        if (fatal != null) {
            return "stopped: " + fatal;
        }
        if (st == KafkaStreams.State.ERROR || st == KafkaStreams.State.PENDING_ERROR
                || st == KafkaStreams.State.NOT_RUNNING || st == KafkaStreams.State.PENDING_SHUTDOWN) {
            return "streams " + st;
        }
        for (Thread t : sinkThreads) {
            if (!t.isAlive()) {
                return t.getName() + " stopped";
            }
        }
        return null;
    }

    @Override
    public byte[] metrics() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            AlertingMetrics.shared().write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private Map<String, Long> countsByStatus() {
        Map<String, Long> counts = new TreeMap<>();
        for (var s : io.harbinger.alerting.state.AlertStatus.values()) {
            if (s != io.harbinger.alerting.state.AlertStatus.INACTIVE) {
                counts.put(s.label(), 0L);
            }
        }
        try {
            for (AlertEntry e : localEntries(e -> true)) {
                counts.merge(e.state().status().label(), 1L, Long::sum);
            }
        } catch (Unavailable e) {
            return Map.of();
        }
        return counts;
    }

    private Map<String, Object> clientConfig() {
        Set<String> streamsOnly = Set.of(StreamsConfig.APPLICATION_ID_CONFIG, StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.STATE_DIR_CONFIG, StreamsConfig.APPLICATION_SERVER_CONFIG,
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, "auto.offset.reset");
        Map<String, Object> m = new HashMap<>();
        config.kafka().forEach((k, v) -> {
            if (!streamsOnly.contains(k)) {
                m.put(k, v);
            }
        });
        return m;
    }

    @Override
    public void close() {
        for (SinkRunner r : sinks) {
            r.close();
        }
        for (Thread t : sinkThreads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.close();
        try {
            metricsHandle.close();
        } catch (Exception ignored) {
            // removing from a list cannot fail
        }
        silenceProducer.close(Duration.ofSeconds(5));
        streams.close(Duration.ofSeconds(30));
    }
}
