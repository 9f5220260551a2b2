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
            server.registerContractSubjects(); // see there: the registry race
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "test-registry-shutdown"));
        }
        return shared;
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
