package io.harbinger.platform;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * How the embedded platform runs: where its state lives, its ports (all on 127.0.0.1), JVM heaps, and how long
 * to wait for it. {@code harbinger up} stores the config it started with in {@code <stateDir>/platform.properties},
 * so {@code down}, {@code status}, {@code replay} and {@code tail} find the same ports without being told.
 *
 * @param detached true for {@code harbinger up}: the service JVMs outlive the launcher. False for tests: they exit
 *                 when the JVM that started them dies, so a killed test run leaves no process behind.
 */
public record PlatformConfig(Path stateDir, int brokerPort, int controllerPort, int registryPort,
                             int registryAdminPort, String kafkaHeap, String registryHeap,
                             Duration startTimeout, boolean detached) {

    /** Every listener binds here and only here. */
    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_BROKER_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_REGISTRY_ADMIN_PORT = 8082;
    public static final String DEFAULT_KAFKA_HEAP = "512m";
    public static final String DEFAULT_REGISTRY_HEAP = "256m";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
    static final String FILE_NAME = "platform.properties";

    public PlatformConfig {
        stateDir = stateDir.toAbsolutePath().normalize();
        List<Integer> ports = List.of(brokerPort, controllerPort, registryPort, registryAdminPort);
        Set<Integer> seen = new HashSet<>();
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
            }
            if (!seen.add(port)) {
                throw new IllegalArgumentException("port " + port + " is given to two listeners");
            }
        }
        if (!kafkaHeap.matches("\\d+[kmgKMG]?") || !registryHeap.matches("\\d+[kmgKMG]?")) {
            throw new IllegalArgumentException("a heap size reads like 512m or 1g");
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("the start timeout must be positive");
        }
    }

    public static PlatformConfig defaults(Path stateDir) {
        return new PlatformConfig(stateDir, DEFAULT_BROKER_PORT, DEFAULT_CONTROLLER_PORT, DEFAULT_REGISTRY_PORT,
                DEFAULT_REGISTRY_ADMIN_PORT, DEFAULT_KAFKA_HEAP, DEFAULT_REGISTRY_HEAP, DEFAULT_START_TIMEOUT, true);
    }

    /** The config {@code up} stored in {@code stateDir}, or the defaults when there is none. */
    public static PlatformConfig load(Path stateDir) {
        PlatformConfig d = defaults(stateDir);
        Path file = stateDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return d;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new PlatformConfig(stateDir,
                    intOf(p, "broker.port", d.brokerPort), intOf(p, "controller.port", d.controllerPort),
                    intOf(p, "registry.port", d.registryPort), intOf(p, "registry.admin.port", d.registryAdminPort),
                    p.getProperty("kafka.heap", d.kafkaHeap), p.getProperty("registry.heap", d.registryHeap),
                    d.startTimeout, true);
        } catch (IllegalArgumentException e) {
            throw new PlatformException("failed to read " + file + ": " + e.getMessage());
        }
    }

    public void store() {
        Properties p = new Properties();
        p.setProperty("broker.port", Integer.toString(brokerPort));
        p.setProperty("controller.port", Integer.toString(controllerPort));
        p.setProperty("registry.port", Integer.toString(registryPort));
        p.setProperty("registry.admin.port", Integer.toString(registryAdminPort));
        p.setProperty("kafka.heap", kafkaHeap);
        p.setProperty("registry.heap", registryHeap);
        p.setProperty("bootstrap.servers", bootstrapServers());
        p.setProperty("schema.registry.url", registryUrl());
        try {
            Files.createDirectories(stateDir);
            try (Writer w = Files.newBufferedWriter(stateDir.resolve(FILE_NAME))) {
                p.store(w, "written by harbinger up; read by down, status, replay, tail");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** The registry's Confluent-compatible API, the value for {@code schema.registry.url}. */
    public String registryUrl() {
        return "http://" + HOST + ":" + registryPort + RegistryServer.CONFLUENT_PATH;
    }

    public Path kafkaDir() {
        return stateDir.resolve("kafka");
    }

    public Path registryDir() {
        return stateDir.resolve("registry");
    }

    public PlatformConfig withPorts(int broker, int controller, int registry, int registryAdmin) {
        return new PlatformConfig(stateDir, broker, controller, registry, registryAdmin, kafkaHeap, registryHeap,
                startTimeout, detached);
    }

    public PlatformConfig withHeaps(String kafka, String registry) {
        return new PlatformConfig(stateDir, brokerPort, controllerPort, registryPort, registryAdminPort, kafka,
                registry, startTimeout, detached);
    }

    public PlatformConfig withStartTimeout(Duration timeout) {
        return new PlatformConfig(stateDir, brokerPort, controllerPort, registryPort, registryAdminPort, kafkaHeap,
                registryHeap, timeout, detached);
    }

    public PlatformConfig withDetached(boolean value) {
        return new PlatformConfig(stateDir, brokerPort, controllerPort, registryPort, registryAdminPort, kafkaHeap,
                registryHeap, startTimeout, value);
    }

    private static int intOf(Properties p, String key, int fallback) {
        String v = p.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v);
        }
    }
}
