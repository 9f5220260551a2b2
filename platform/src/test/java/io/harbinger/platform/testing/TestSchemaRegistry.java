package io.harbinger.platform.testing;

import io.harbinger.platform.PlatformConfig;
import io.harbinger.platform.Ports;
import io.harbinger.platform.RegistryServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real Hortonworks Schema Registry for tests: one per test JVM, in its own JVM (it dies with the test JVM, even
 * when that is killed), on free ports of 127.0.0.1, in-memory storage, started on first use and stopped by a
 * shutdown hook. Subjects persist across the tests of a module: use distinct subject names where it matters.
 */
public final class TestSchemaRegistry {
    private static TestSchemaRegistry shared;

    private final RegistryServer server;
    private final Duration startTime;

    private TestSchemaRegistry(RegistryServer server, Duration startTime) {
        this.server = server;
        this.startTime = startTime;
    }

    public static synchronized TestSchemaRegistry shared() {
        if (shared == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("harbinger-test-registry");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            PlatformConfig config = PlatformConfig.defaults(dir)
                    .withPorts(Ports.pickFree(), Ports.pickFree(), Ports.pickFree(), Ports.pickFree())
                    .withDetached(false);
            RegistryServer server = new RegistryServer(config);
            long t0 = System.nanoTime();
            server.start();
            shared = new TestSchemaRegistry(server, Duration.ofNanos(System.nanoTime() - t0));
            shared.registerContractSubjects();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "test-registry-shutdown"));
        }
        return shared;
    }

    /**
     * Registers the contract topics' key and value schemas one after the other. Hortonworks Registry 0.9.1 has a
     * race: two clients registering a subject's first version at the same moment (two alerting instances
     * publishing their first alert) create two MASTER branches, and from then on every registration under that
     * subject fails with HTTP 500 ("Failed to unique determine a schema branch") - which failed every later test of
     * the module that shared the registry. Confluent's registry, used in production, has no such race.
     */
    private void registerContractSubjects() {
        io.harbinger.serde.SchemaRegistryClient client =
                new io.harbinger.serde.SchemaRegistryClient(io.harbinger.serde.SerdeConfig.forUrl(url()));
        java.util.Map<String, org.apache.avro.Schema> subjects = new java.util.LinkedHashMap<>();
        subjects.put(io.harbinger.topics.Topics.SYSCALL_EVENTS + "-key", io.harbinger.schema.SyscallKey.getClassSchema());
        subjects.put(io.harbinger.topics.Topics.SYSCALL_EVENTS + "-value", io.harbinger.schema.SyscallEvent.getClassSchema());
        subjects.put(io.harbinger.topics.Topics.GOMAP_EVENTS + "-key", io.harbinger.schema.MapKey.getClassSchema());
        subjects.put(io.harbinger.topics.Topics.GOMAP_EVENTS + "-value", io.harbinger.schema.GoMapEvent.getClassSchema());
        subjects.put(io.harbinger.topics.Topics.SYSCALL_LATENCY + "-key", io.harbinger.schema.LatencyWindowKey.getClassSchema());
        subjects.put(io.harbinger.topics.Topics.SYSCALL_LATENCY + "-value",
                io.harbinger.schema.SyscallLatencyWindow.getClassSchema());
        subjects.put(io.harbinger.topics.Topics.GOMAP_TRENDS + "-key", io.harbinger.schema.MapKey.getClassSchema());
        subjects.put(io.harbinger.topics.Topics.GOMAP_TRENDS + "-value", io.harbinger.schema.MapTrend.getClassSchema());
        subjects.put(io.harbinger.topics.Topics.ALERTS + "-value", io.harbinger.schema.Alert.getClassSchema());
        subjects.put(io.harbinger.topics.Topics.DEADLETTER + "-value", io.harbinger.schema.DeadLetter.getClassSchema());
        subjects.put(io.harbinger.topics.Topics.SILENCES + "-value", io.harbinger.schema.Silence.getClassSchema());
        subjects.forEach(client::register);
    }

    /** The Confluent-compatible API, the value for {@code schema.registry.url}. */
    public String url() {
        return server.url();
    }

    public Duration startTime() {
        return startTime;
    }

    public RegistryServer server() {
        return server;
    }
}
