package io.harbinger.platform;

import io.harbinger.topics.Topics;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The embedded platform behind {@code harbinger up / down / status}: one Kafka node and one schema registry, each in
 * its own JVM, state under {@link PlatformConfig#stateDir()}, plus every topic of {@link Topics#ALL}.
 */
public final class Platform {
    private final PlatformConfig config;
    private final KafkaNode kafka;
    private final RegistryServer registry;

    public Platform(PlatformConfig config) {
        this.config = config;
        this.kafka = new KafkaNode(config);
        this.registry = new RegistryServer(config);
    }

    /** What {@link #up()} did, with how long each part took. */
    public record UpResult(boolean kafkaStarted, Duration kafkaTime, boolean registryStarted, Duration registryTime,
                           List<String> topicsCreated, String bootstrapServers, String registryUrl) {}

    /**
     * Starts whatever is not running (Kafka first, then the registry), creates missing topics, waits until both
     * answer. If the registry fails to start after this call started Kafka, Kafka is stopped again.
     */
    public UpResult up() {
        return up(line -> { });
    }

    /** {@link #up()}, telling {@code progress} what it is about to do (the launcher prints it). */
    public UpResult up(Consumer<String> progress) {
        config.store();
        long t0 = System.nanoTime();
        progress.accept("starting Kafka on " + config.bootstrapServers() + " ...");
        boolean kafkaStarted = kafka.start();
        Duration kafkaTime = Duration.ofNanos(System.nanoTime() - t0);
        List<String> created;
        try (Admin admin = kafka.admin()) {
            created = new TopicCreator(admin, (short) 1, config.startTimeout()).createMissing(Topics.ALL);
        }
        long t1 = System.nanoTime();
        progress.accept("starting the schema registry on " + config.registryUrl() + " ...");
        boolean registryStarted = false;
        try {
            registryStarted = registry.start();
            registry.registerContractSubjects();
        } catch (PlatformException e) {
            if (registryStarted) {
                registry.stop(); // it started but refused the schemas: leave nothing half up
            }
            if (kafkaStarted) {
                kafka.stop();
            }
            throw e;
        }
        Duration registryTime = Duration.ofNanos(System.nanoTime() - t1);
        return new UpResult(kafkaStarted, kafkaTime, registryStarted, registryTime, created,
                config.bootstrapServers(), config.registryUrl());
    }

    /** What {@link #down()} stopped. */
    public record DownResult(boolean kafkaStopped, boolean registryStopped) {}

    /** Stops the registry, then Kafka. Stopping what is not running is not an error. */
    public DownResult down() {
        boolean r = registry.stop();
        boolean k = kafka.stop();
        return new DownResult(k, r);
    }

    public List<ServiceStatus> status() {
        return List.of(kafka.status(), registry.status());
    }

    public PlatformConfig config() {
        return config;
    }

    public KafkaNode kafka() {
        return kafka;
    }

    public RegistryServer registry() {
        return registry;
    }
}
