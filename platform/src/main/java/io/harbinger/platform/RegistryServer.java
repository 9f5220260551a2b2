package io.harbinger.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The real Hortonworks Schema Registry 0.9.1 (a Dropwizard application) in its own JVM with its own classpath
 * ({@code runtime/schema-registry}: its old Jackson/Jersey/Jetty must not meet ours), bound to 127.0.0.1, storage
 * in memory (schemas are gone after a restart; producers re-register them). Clients use its Confluent-compatible
 * API at {@code /api/v1/confluent}; ids there are per subject-version. Files under {@code <stateDir>/registry}:
 * {@code registry.yaml}, {@code registry.pid}, {@code registry.log}.
 */
public final class RegistryServer {
    public static final String MAIN_CLASS = "com.hortonworks.registries.webservice.RegistryApplication";
    public static final String CONFLUENT_PATH = "/api/v1/confluent";
    private static final List<String> FAILURE_HINTS = List.of("Address already in use", "BindException", "ERROR", "Exception");

    private final PlatformConfig config;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private JvmProcess process; // held: when attached, the child's stdin pipe must stay open

    public RegistryServer(PlatformConfig config) {
        this.config = config;
        this.dir = config.registryDir();
    }

    public Path pidFile() {
        return dir.resolve("registry.pid");
    }

    public Path logFile() {
        return dir.resolve("registry.log");
    }

    /** The Confluent-compatible base URL, the value for {@code schema.registry.url}. */
    public String url() {
        return config.registryUrl();
    }

    /**
     * Registers every contract subject's schema, one after the other (idempotent: a schema already there keeps its
     * id). Hortonworks Registry 0.9.1 has a race: two clients registering a subject's first version at the same
     * moment (two stream threads closing their first windows, two alerting instances' first alerts) create two
     * MASTER branches, and from then on every registration under that subject fails with HTTP 500 ("Failed to
     * unique determine a schema branch") - for good, since the registry is the only copy. Registering first leaves
     * clients nothing to race on. Confluent's registry, used in production, has no such race.
     */
    public void registerContractSubjects() {
        io.harbinger.serde.SchemaRegistryClient client =
                new io.harbinger.serde.SchemaRegistryClient(io.harbinger.serde.SerdeConfig.forUrl(url()));
        try {
            io.harbinger.topics.TopicSpecs.contractSubjects().forEach(client::register);
        } catch (RuntimeException e) {
            throw new PlatformException("the schema registry at " + url() + " refused the contract schemas: "
                    + e.getMessage(), e);
        }
    }

    public Optional<JvmProcess> running() {
        return JvmProcess.find("schema registry", pidFile(), configFile().toString(), logFile());
    }

    /** Starts the registry unless it already runs, and waits until it answers. Returns true when it started it. */
    public boolean start() {
        Optional<JvmProcess> existing = running();
        if (existing.isPresent()) {
            process = existing.get();
            awaitReady();
            return false;
        }
        Ports.requireFree("the schema registry", config.registryPort(), config.registryAdminPort());
        try {
            Files.createDirectories(dir.resolve("jars"));
            Files.writeString(configFile(), yaml());
        } catch (IOException e) {
            throw new PlatformException("failed to start the schema registry: cannot write " + dir + ": " + e.getMessage(), e);
        }
        process = JvmProcess.start(new JvmProcess.Spec("schema registry", MAIN_CLASS,
                RuntimeClasspath.of(RuntimeClasspath.SCHEMA_REGISTRY),
                List.of("-Xmx" + config.registryHeap(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Djava.awt.headless=true"),
                List.of("server", configFile().toString()), dir, logFile(), pidFile(), config.detached()));
        awaitReady();
        return true;
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 15 s). Returns false when it was not running. */
    public boolean stop() {
        Optional<JvmProcess> p = process != null && process.isAlive() ? Optional.of(process) : running();
        if (p.isEmpty()) {
            return false;
        }
        p.get().stopAndRemove(pidFile(), Duration.ofSeconds(15));
        process = null;
        return true;
    }

    public ServiceStatus status() {
        Optional<JvmProcess> p = running();
        if (p.isEmpty()) {
            return new ServiceStatus("registry", ServiceStatus.State.STOPPED, OptionalLong.empty(), url(), "");
        }
        OptionalLong pid = OptionalLong.of(p.get().pid());
        Optional<String> subjects = get("/subjects");
        if (subjects.isEmpty()) {
            return new ServiceStatus("registry", ServiceStatus.State.UNRESPONSIVE, pid, url(),
                    "not answering (see " + logFile() + ")");
        }
        long count = subjects.get().chars().filter(c -> c == '"').count() / 2;
        return new ServiceStatus("registry", ServiceStatus.State.RUNNING, pid, url(), count + " subjects");
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (get("/subjects").isEmpty()) {
            if (process != null && !process.isAlive()) {
                String code = process.exitCode().map(c -> " with code " + c).orElse("");
                JvmProcess.deleteQuietly(pidFile());
                throw new PlatformException("failed to start the schema registry: its JVM exited" + code + hint());
            }
            if (System.nanoTime() > deadline) {
                throw new PlatformException("failed to start the schema registry: no answer at " + url() + " within "
                        + config.startTimeout().toSeconds() + " s" + hint());
            }
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for the schema registry");
            }
        }
    }

    /** GET {@code url() + path}; the body on 200, empty otherwise or when nothing answers. */
    private Optional<String> get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private String hint() {
        return JvmProcess.failureHint(logFile(), FAILURE_HINTS);
    }

    private Path configFile() {
        return dir.resolve("registry.yaml");
    }

    String yaml() {
        String host = PlatformConfig.HOST;
        return String.join("\n",
                "# written by harbinger on every start of the registry",
                "modules:",
                "  - name: schema-registry",
                "    className: com.hortonworks.registries.schemaregistry.webservice.SchemaRegistryModule",
                "    config:",
                "      schemaProviders:",
                "        - providerClass: \"com.hortonworks.registries.schemaregistry.avro.AvroSchemaProvider\"",
                "          defaultSerializerClass: \"com.hortonworks.registries.schemaregistry.serdes.avro.AvroSnapshotSerializer\"",
                "          defaultDeserializerClass: \"com.hortonworks.registries.schemaregistry.serdes.avro.AvroSnapshotDeserializer\"",
                "      schemaCacheSize: 10000",
                "      schemaCacheExpiryInterval: 3600",
                "servletFilters: []",
                "fileStorageConfiguration:",
                "  className: \"com.hortonworks.registries.common.util.LocalFileSystemStorage\"",
                "  properties:",
                "    directory: \"" + dir.resolve("jars") + "\"",
                "storageProviderConfiguration:",
                "  providerClass: \"com.hortonworks.registries.storage.impl.memory.InMemoryStorageManager\"",
                "swagger:",
                "  resourcePackage: com.hortonworks.registries.schemaregistry.webservice",
                "enableCors: false",
                "server:",
                "  applicationConnectors:",
                "    - type: http",
                "      bindHost: " + host,
                "      port: " + config.registryPort(),
                "  adminConnectors:",
                "    - type: http",
                "      bindHost: " + host,
                "      port: " + config.registryAdminPort(),
                "  requestLog:",
                "    appenders: []",
                "logging:",
                "  level: WARN",
                "  loggers:",
                "    io.dropwizard.server: INFO",
                "    org.eclipse.jetty.server.AbstractConnector: INFO",
                "");
    }
}
