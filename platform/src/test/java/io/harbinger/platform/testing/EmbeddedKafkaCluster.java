package io.harbinger.platform.testing;

import io.harbinger.platform.TopicCreator;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Kafka 4.3 KRaft cluster inside the test JVM ({@link KafkaClusterTestKit}), listening on free ports of
 * localhost.
 *
 * <p>{@link #shared()} is the one most tests want: a single combined node started lazily on first use, shared by
 * every test class of the module (one surefire/failsafe JVM), with every Harbinger topic created, stopped by a
 * shutdown hook. Tests sharing it should use their own consumer group ids and, when they need exclusive data,
 * their own topics ({@link #createTopic}). {@link #start(Options)} starts a private cluster - e.g. three brokers,
 * or a SASL_PLAINTEXT listener - that the test closes.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    /**
     * @param brokers          broker nodes; 1 runs combined broker+controller, more runs that many brokers beside
     *                         one controller
     * @param saslPlaintext    the broker listener is SASL_PLAINTEXT with mechanism PLAIN (users {@link #SASL_ADMIN},
     *                         {@link #SASL_USER}); clients get the credentials from {@link #clientConfig()}
     * @param brokerProperties extra broker config
     * @param separateController a single broker runs beside its own controller instead of combined, so that broker
     *                         can be stopped and started again (Kafka unreachable, same port) while the cluster lives
     */
    public record Options(int brokers, boolean saslPlaintext, Map<String, String> brokerProperties,
                          boolean separateController) {
        public Options(int brokers, boolean saslPlaintext, Map<String, String> brokerProperties) {
            this(brokers, saslPlaintext, brokerProperties, false);
        }

        public Options withSeparateController() {
            return new Options(brokers, saslPlaintext, brokerProperties, true);
        }

        public static Options single() {
            return new Options(1, false, Map.of());
        }

        public Options withBrokers(int n) {
            return new Options(n, saslPlaintext, brokerProperties, separateController);
        }

        public Options withSaslPlaintext() {
            return new Options(brokers, true, brokerProperties, separateController);
        }

        public Options withBrokerProperties(Map<String, String> props) {
            return new Options(brokers, saslPlaintext, props, separateController);
        }
    }

    public static final String SASL_ADMIN = JaasUtils.KAFKA_PLAIN_ADMIN;
    public static final String SASL_ADMIN_PASSWORD = JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD;
    public static final String SASL_USER = JaasUtils.KAFKA_PLAIN_USER1;
    public static final String SASL_USER_PASSWORD = JaasUtils.KAFKA_PLAIN_USER1_PASSWORD;

    private static EmbeddedKafkaCluster shared;

    private final KafkaClusterTestKit cluster;
    private final Options options;
    private final Admin admin;
    private final Duration startTime;

    private EmbeddedKafkaCluster(KafkaClusterTestKit cluster, Options options, Duration startTime) {
        this.cluster = cluster;
        this.options = options;
        this.startTime = startTime;
        this.admin = Admin.create(clientConfig());
    }

    /** The module-wide single-node cluster, started on first call, with every Harbinger topic created. */
    public static synchronized EmbeddedKafkaCluster shared() {
        if (shared == null) {
            EmbeddedKafkaCluster c = start(Options.single());
            c.createHarbingerTopics();
            Runtime.getRuntime().addShutdownHook(new Thread(c::close, "embedded-kafka-shutdown"));
            shared = c;
        }
        return shared;
    }

    /** Starts a private cluster; the caller closes it. */
    public static EmbeddedKafkaCluster start(Options options) {
        long t0 = System.nanoTime();
        try {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                    .setCombined(options.brokers() == 1 && !options.separateController())
                    .setNumBrokerNodes(options.brokers())
                    .setNumControllerNodes(1);
            if (options.saslPlaintext()) {
                nodes.setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT);
            }
            int rf = Math.min(3, options.brokers());
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build())
                    .setConfigProp("offsets.topic.replication.factor", Integer.toString(rf))
                    .setConfigProp("offsets.topic.num.partitions", "5")
                    .setConfigProp("transaction.state.log.replication.factor", Integer.toString(rf))
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("log.cleaner.dedupe.buffer.size", "2097152")
                    // records carry event times (samples from the past): time-based retention would delete them
                    .setConfigProp("log.retention.ms", "-1");
            if (options.saslPlaintext()) {
                // the controller listener stays PLAINTEXT (ANONYMOUS), and the test kit turns the authorizer on
                builder.setConfigProp("super.users", "User:" + SASL_ADMIN + ";User:ANONYMOUS");
            }
            options.brokerProperties().forEach(builder::setConfigProp);
            KafkaClusterTestKit kit = builder.build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new EmbeddedKafkaCluster(kit, options, Duration.ofNanos(System.nanoTime() - t0));
        } catch (Exception e) {
            throw new IllegalStateException("failed to start the embedded Kafka cluster: " + e, e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * Client properties that reach this cluster: bootstrap servers and, for SASL, the admin user's credentials.
     * Start producer/consumer/streams configs from this.
     */
    public Map<String, Object> clientConfig() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (options.saslPlaintext()) {
            props.putAll(saslClientConfig(SASL_ADMIN, SASL_ADMIN_PASSWORD));
        }
        return props;
    }

    /** Client properties for a SASL_PLAINTEXT/PLAIN user (only for a cluster started with SASL). */
    public Map<String, Object> saslClientConfig(String user, String password) {
        return Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name,
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"" + user + "\" password=\"" + password + "\";");
    }

    /** A shared Admin client owned by this cluster (do not close it). */
    public Admin admin() {
        return admin;
    }

    /** Creates the topics of {@link Topics#ALL} that are missing. */
    public List<String> createHarbingerTopics() {
        return new TopicCreator(admin, replicationFactor(), Duration.ofSeconds(30)).createMissing(Topics.ALL);
    }

    /** Creates a topic unless it exists. */
    public void createTopic(String name, int partitions) {
        new TopicCreator(admin, replicationFactor(), Duration.ofSeconds(30))
                .createMissing(List.of(new Topics.TopicDefinition(name, partitions, false)));
    }

    /**
     * Reads {@code topic} from the beginning (a throwaway consumer group) until {@code expected} records arrived
     * or {@code timeout} passed; returns what arrived, raw, for the caller to decode and assert on.
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        Map<String, Object> c = new HashMap<>(clientConfig());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "harness-" + topic + "-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (got.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        return got;
    }

    public int brokerCount() {
        return options.brokers();
    }

    /** How long {@link #start} took to get the cluster ready. */
    public Duration startTime() {
        return startTime;
    }

    /** The underlying test kit, for what this class does not cover (stopping a broker, controllers, ...). */
    public KafkaClusterTestKit testKit() {
        return cluster;
    }

    private short replicationFactor() {
        return (short) Math.min(3, options.brokers());
    }

    @Override
    public synchronized void close() {
        try {
            admin.close(Duration.ofSeconds(5));
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("failed to stop the embedded Kafka cluster: " + e, e);
        }
    }
}
