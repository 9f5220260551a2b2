package io.harbinger.platform;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka KRaft node (combined broker + controller, node id 1) in its own JVM, run from the Maven
 * artifacts in {@code runtime/kafka-broker}: {@code kafka.tools.StorageTool format} on first start, then
 * {@code kafka.Kafka server.properties}. Listeners on 127.0.0.1 only. Everything it writes lives under
 * {@code <stateDir>/kafka}: {@code server.properties}, {@code log4j2.properties}, {@code data/}, {@code kafka.pid},
 * {@code kafka.log}.
 */
public final class KafkaNode {
    public static final String MAIN_CLASS = "kafka.Kafka";
    private static final List<String> FAILURE_HINTS = List.of("Address already in use", "FATAL", "ERROR", "Exception");

    private final PlatformConfig config;
    private final Path dir;
    private JvmProcess process; // held: when attached, the child's stdin pipe must stay open

    public KafkaNode(PlatformConfig config) {
        this.config = config;
        this.dir = config.kafkaDir();
    }

    public Path pidFile() {
        return dir.resolve("kafka.pid");
    }

    public Path logFile() {
        return dir.resolve("kafka.log");
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** The running node of this state directory, if any. */
    public Optional<JvmProcess> running() {
        return JvmProcess.find("Kafka", pidFile(), serverProperties().toString(), logFile());
    }

    /**
     * Starts the node unless it already runs, and waits until it answers. Returns true when it started it.
     */
    public boolean start() {
        Optional<JvmProcess> existing = running();
        if (existing.isPresent()) {
            process = existing.get();
            awaitReady();
            return false;
        }
        Ports.requireFree("Kafka", config.brokerPort(), config.controllerPort());
        try {
            Files.createDirectories(dataDir());
            Files.writeString(serverProperties(), serverPropertiesText());
            Files.writeString(dir.resolve("log4j2.properties"), log4jText());
        } catch (IOException e) {
            throw new PlatformException("failed to start Kafka: cannot write " + dir + ": " + e.getMessage(), e);
        }
        String classpath = RuntimeClasspath.of(RuntimeClasspath.KAFKA_BROKER);
        if (!Files.exists(dataDir().resolve("meta.properties"))) {
            format(classpath);
        }
        process = JvmProcess.start(new JvmProcess.Spec("Kafka", MAIN_CLASS, classpath, jvmArgs(),
                List.of(serverProperties().toString()), dir, logFile(), pidFile(), config.detached()));
        awaitReady();
        return true;
    }

    /** Stops the node (SIGTERM, then SIGKILL after 30 s). Returns false when it was not running. */
    public boolean stop() {
        Optional<JvmProcess> p = process != null && process.isAlive() ? Optional.of(process) : running();
        if (p.isEmpty()) {
            return false;
        }
        p.get().stopAndRemove(pidFile(), Duration.ofSeconds(30));
        process = null;
        return true;
    }

    public ServiceStatus status() {
        Optional<JvmProcess> p = running();
        String endpoint = config.bootstrapServers();
        if (p.isEmpty()) {
            return new ServiceStatus("kafka", ServiceStatus.State.STOPPED, OptionalLong.empty(), endpoint, "");
        }
        OptionalLong pid = OptionalLong.of(p.get().pid());
        try (Admin admin = admin()) {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                    .get(4, TimeUnit.SECONDS).size();
            int topics = admin.listTopics().names().get(4, TimeUnit.SECONDS).size();
            return new ServiceStatus("kafka", ServiceStatus.State.RUNNING, pid, endpoint,
                    nodes + " node, " + topics + " topics");
        } catch (Exception e) {
            return new ServiceStatus("kafka", ServiceStatus.State.UNRESPONSIVE, pid, endpoint,
                    "not answering (see " + logFile() + ")");
        }
    }

    /** An Admin client for this node; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }

    private void format(String classpath) {
        String clusterId = Uuid.randomUuid().toString();
        int code = JvmProcess.runToCompletion(new JvmProcess.Spec("Kafka storage format", "kafka.tools.StorageTool",
                classpath, List.of("-Xmx256m", "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties")),
                List.of("format", "-t", clusterId, "-c", serverProperties().toString()),
                dir, logFile(), pidFile(), false), Duration.ofSeconds(60));
        if (code != 0) {
            throw new PlatformException("failed to format Kafka storage in " + dataDir() + ": exit code " + code
                    + hint());
        }
    }

    /** Waits for the TCP listener, then for describeCluster to answer; fails early when the JVM dies. */
    private void awaitReady() {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (!Ports.accepts(config.brokerPort())) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw timeout();
            }
            sleep(100);
        }
        try (Admin admin = admin()) {
            while (true) {
                checkAlive();
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                            .get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    // not ready yet
                }
                if (System.nanoTime() > deadline) {
                    throw timeout();
                }
                sleep(200);
            }
        }
    }

    private void checkAlive() {
        if (process != null && !process.isAlive()) {
            String code = process.exitCode().map(c -> " with code " + c).orElse("");
            JvmProcess.deleteQuietly(pidFile());
            throw new PlatformException("failed to start Kafka: the broker JVM exited" + code + hint());
        }
    }

    private PlatformException timeout() {
        return new PlatformException("failed to start Kafka: no answer on " + config.bootstrapServers() + " within "
                + config.startTimeout().toSeconds() + " s" + hint());
    }

    private String hint() {
        return JvmProcess.failureHint(logFile(), FAILURE_HINTS);
    }

    private List<String> jvmArgs() {
        return List.of("-Xms" + config.kafkaHeap(), "-Xmx" + config.kafkaHeap(), "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
    }

    private Path serverProperties() {
        return dir.resolve("server.properties");
    }

    String serverPropertiesText() {
        String host = PlatformConfig.HOST;
        return String.join("\n",
                "# written by harbinger up on every start; edit PlatformConfig, not this file",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + host + ":" + config.controllerPort(),
                "listeners=PLAINTEXT://" + host + ":" + config.brokerPort() + ",CONTROLLER://" + host + ":" + config.controllerPort(),
                "advertised.listeners=PLAINTEXT://" + host + ":" + config.brokerPort(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dataDir(),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "# recordings are replayed with their own (often old) event times as record timestamps: time-based",
                "# retention would delete them within minutes, so retention is by size only (per partition)",
                "log.retention.ms=-1",
                "log.retention.bytes=268435456",
                "log.segment.bytes=67108864",
                "# the cleaner's dedupe buffer defaults to 128 MiB; compacted topics here are small",
                "log.cleaner.dedupe.buffer.size=8388608",
                "");
    }

    private static String log4jText() {
        return String.join("\n",
                "# written by harbinger up: the broker's log goes to stdout, which is appended to kafka.log",
                "appender.stdout.type=Console",
                "appender.stdout.name=STDOUT",
                "appender.stdout.layout.type=PatternLayout",
                "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.stdout.ref=STDOUT",
                "logger.clients.name=org.apache.kafka.clients",
                "logger.clients.level=WARN",
                "logger.statechange.name=state.change.logger",
                "logger.statechange.level=WARN",
                "logger.log.name=kafka.log",
                "logger.log.level=WARN",
                "logger.storage.name=org.apache.kafka.storage",
                "logger.storage.level=WARN",
                "");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while waiting for Kafka");
        }
    }
}
