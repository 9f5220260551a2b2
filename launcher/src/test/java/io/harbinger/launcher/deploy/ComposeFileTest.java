package io.harbinger.launcher.deploy;

import io.harbinger.alerting.AlertingConfig;
import io.harbinger.collector.CollectorConfig;
import io.harbinger.config.EnvironmentKeys;
import io.harbinger.serde.SerdeConfig;
import io.harbinger.streams.app.StreamsServiceConfig;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.streams.dashboard.Dashboard;
import io.harbinger.topics.Topics;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * There is no Docker engine here, so docker-compose.yml is checked against the code instead: every service is there
 * with the right image or Dockerfile, every HARBINGER_* variable is a key the service really reads (its config is
 * built from the compose environment by the service's own config code, which rejects unknown keys where it can), the
 * published ports are the ports the configs listen on, services reach Kafka and the registry at their compose
 * names, the init job creates every topic of Topics.ALL, and the collector gets what eBPF needs. The collector's
 * systemd unit is verified with systemd-analyze.
 */
class ComposeFileTest {
    private static Path root;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
            root = root.getParent();
            assertTrue(root != null, "docker-compose.yml not found above the working directory");
        }
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> doc = yaml.load(Files.readString(root.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) doc.get("services");
    }

    @Test
    void everyServiceIsThere() {
        assertEquals(Set.of("kafka", "kafka-init", "schema-registry", "streams-1", "streams-2", "alerting", "collector"),
                services.keySet());
    }

    @Test
    void kafkaIsTheOfficialApacheImageInKraftMode() {
        Map<String, Object> kafka = services.get("kafka");
        assertTrue(str(kafka.get("image")).startsWith("apache/kafka:4."), "image " + kafka.get("image"));
        Map<String, String> env = env("kafka");
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"));
        assertTrue(env.get("KAFKA_LISTENERS").contains("PLAINTEXT://:9092"));
        assertTrue(env.get("KAFKA_ADVERTISED_LISTENERS").contains("PLAINTEXT://kafka:9092"));
        assertEquals("1@kafka:9093", env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
        assertEquals("1", env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"), "single node: factor 1");
        assertEquals("1", env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"), "exactly-once needs it on one node");
        assertEquals(List.of("127.0.0.1:29092:29092"), services.get("kafka").get("ports"));
    }

    @Test
    void theInitJobCreatesEveryTopicWithItsPartitions() {
        String script = String.join("\n", list(services.get("kafka-init").get("command")));
        Pattern line = Pattern.compile("^t (\\S+) --partitions (\\d+)( --config cleanup.policy=compact)?$", Pattern.MULTILINE);
        Map<String, String> created = new TreeMap<>();
        Matcher m = line.matcher(script);
        while (m.find()) {
            created.put(m.group(1), m.group(2) + (m.group(3) != null ? " compact" : ""));
        }
        Map<String, String> expected = new TreeMap<>();
        for (Topics.TopicDefinition t : Topics.ALL) {
            expected.put(t.name(), t.partitions() + (t.compacted() ? " compact" : ""));
        }
        assertEquals(expected, created);
        assertTrue(str(services.get("kafka-init").get("image")).equals(str(services.get("kafka").get("image"))));
    }

    @Test
    void theRegistryIsConfluentsOfficialImageOnKafka() {
        Map<String, Object> r = services.get("schema-registry");
        assertTrue(str(r.get("image")).startsWith("confluentinc/cp-schema-registry:"), "image " + r.get("image"));
        Map<String, String> env = env("schema-registry");
        assertEquals("http://0.0.0.0:8081", env.get("SCHEMA_REGISTRY_LISTENERS"));
        assertEquals("PLAINTEXT://kafka:9092", env.get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS"));
        assertEquals(List.of("127.0.0.1:8081:8081"), r.get("ports"));
    }

    @Test
    void twoStreamsInstancesShareTheApplicationAndAnswerOnTheirPorts() throws Exception {
        Set<String> advertised = new HashSet<>();
        Set<String> appIds = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        for (String name : List.of("streams-1", "streams-2")) {
            Map<String, String> keys = EnvironmentKeys.keys(EnvironmentKeys.STREAMS, env(name));
            for (String key : keys.keySet()) {
                assertTrue(streamsKeys().contains(key), name + ": " + EnvironmentKeys.variable(EnvironmentKeys.STREAMS, key)
                        + " sets '" + key + "', which the streams processor does not read");
            }
            StreamsServiceConfig c = StreamsServiceConfig.from(
                    StreamsServiceConfig.withEnvironment(new Properties(), env(name)), Path.of("/tmp/unused"));
            assertEquals("0.0.0.0", c.httpBind(), name);
            assertEquals(name, c.advertisedHost(), name + ": peers reach it by its compose name");
            String port = published(name, c.httpPort());
            hostPorts.add(port);
            assertPlatform(name, c.streamsProperties().getProperty("bootstrap.servers"),
                    c.streamsProperties().getProperty("schema.registry.url"));
            assertEquals("http://alerting:" + alertingPort(), keys.get(Dashboard.ALERTING_URL), name + " dashboard alerts");
            appIds.add(c.streamsProperties().getProperty("application.id"));
            advertised.add(c.advertisedHost());
            assertDockerfile(name, "streams", c.httpPort());
            assertStateVolume(name, c.streamsProperties().getProperty("state.dir"));
        }
        assertEquals(1, appIds.size(), "both instances in one application");
        assertEquals(2, advertised.size());
        assertEquals(Set.of("127.0.0.1:8090", "127.0.0.1:8091"), hostPorts);
    }

    @Test
    void alertingReadsEveryKeyAndListensOnItsPort() throws Exception {
        Map<String, String> env = env("alerting");
        AlertingConfig c = AlertingConfig.load(null, null, env); // unknown alerting.* keys fail here
        for (String key : EnvironmentKeys.keys(EnvironmentKeys.ALERTING, env).keySet()) {
            assertTrue(key.startsWith("alerting.") || kafkaKeys().contains(key),
                    "alerting: '" + key + "' is neither an alerting key nor a Kafka/Streams/serde key");
        }
        assertEquals("0.0.0.0", c.httpHost());
        published("alerting", c.httpPort());
        assertEquals("alerting:" + c.httpPort(), c.kafka().get("application.server"));
        assertPlatform("alerting", str(c.kafka().get("bootstrap.servers")), str(c.kafka().get("schema.registry.url")));
        assertDockerfile("alerting", "alerting", c.httpPort());
        assertStateVolume("alerting", str(c.kafka().get("state.dir")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCollectorGetsWhatEbpfNeeds() throws Exception {
        Map<String, Object> s = services.get("collector");
        Map<String, String> env = new LinkedHashMap<>(env("collector"));
        env.replaceAll((k, v) -> v.replaceAll("\\$\\{HOSTNAME:-([^}]*)}", "$1")); // compose's default substitution
        CollectorConfig c = CollectorConfig.load(null, env); // unknown keys and bad values fail here
        assertEquals(Boolean.TRUE, s.get("privileged"));
        assertEquals("host", s.get("pid"), "host PID namespace: it must see (and read) every process");
        List<String> volumes = list(s.get("volumes"));
        for (String dir : List.of("/sys/kernel/btf", "/sys/kernel/tracing", "/sys/fs/bpf")) {
            assertTrue(volumes.stream().anyMatch(v -> v.startsWith(dir + ":" + dir)), "collector mounts " + dir);
        }
        assertEquals("0.0.0.0", c.metricsBind());
        published("collector", c.metricsPort());
        assertPlatform("collector", str(c.kafka().get("bootstrap.servers")), str(c.kafka().get("schema.registry.url")));
        assertEquals("docker-host", c.settings().host());
        assertDockerfile("collector", "collector", c.metricsPort());
        assertTrue(Files.readString(root.resolve("collector/Dockerfile")).contains("libbpf1"), "runtime needs libbpf1");
    }

    @Test
    void harbingerServicesWaitForTopicsAndRegistry() {
        for (String name : List.of("streams-1", "streams-2", "alerting", "collector")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> deps = (Map<String, Object>) services.get(name).get("depends_on");
            assertTrue(deps.containsKey("kafka-init") && deps.containsKey("schema-registry"), name + " depends_on " + deps);
        }
    }

    @Test
    void theSystemdUnitRunsTheCollectorWithItsCapabilities() throws Exception {
        Path unit = root.resolve("deploy/systemd/harbinger-collector.service");
        String text = Files.readString(unit);
        assertTrue(text.contains("io.harbinger.launcher.Harbinger collector --config /etc/harbinger/collector.yaml"));
        // the set CapabilitiesIT (reliability) measured: syscalls need CAP_BPF + CAP_PERFMON, Go maps the other three
        assertTrue(text.contains("AmbientCapabilities=CAP_BPF CAP_PERFMON CAP_SYS_ADMIN CAP_SYS_PTRACE CAP_DAC_READ_SEARCH"), text);
        assertTrue(text.contains("KillSignal=SIGTERM"));
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assertTrue(Files.isExecutable(analyze), "systemd-analyze (Debian's systemd) verifies the unit");
        Process p = new ProcessBuilder(analyze.toString(), "verify", unit.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.isBlank(), "systemd-analyze verify: " + out);
    }

    // ------------------------------------------------------------------ helpers

    private static void assertPlatform(String service, String bootstrap, String registry) {
        assertEquals("kafka:9092", bootstrap, service + " reaches Kafka on its PLAINTEXT listener");
        assertEquals("http://schema-registry:8081", registry, service + " reaches the registry");
    }

    /** The service publishes container port {@code port} on 127.0.0.1; returns "127.0.0.1:hostPort". */
    private static String published(String service, int port) {
        for (String p : list(services.get(service).get("ports"))) {
            String[] parts = p.split(":");
            if (parts.length == 3 && Integer.parseInt(parts[2]) == port) {
                assertEquals("127.0.0.1", parts[0], service + " publishes on loopback only");
                return parts[0] + ":" + parts[1];
            }
        }
        return fail(service + " does not publish its port " + port + ": " + services.get(service).get("ports"));
    }

    @SuppressWarnings("unchecked")
    private static void assertDockerfile(String service, String command, int port) throws IOException {
        Map<String, Object> build = (Map<String, Object>) services.get(service).get("build");
        assertEquals(".", build.get("context"), service + " builds from the repository root");
        Path dockerfile = root.resolve(str(build.get("dockerfile")));
        assertTrue(Files.isRegularFile(dockerfile), dockerfile + " exists");
        String text = Files.readString(dockerfile);
        assertTrue(text.contains("\"io.harbinger.launcher.Harbinger\", \"" + command + "\"]"), dockerfile + " runs " + command);
        assertTrue(text.contains("EXPOSE " + port), dockerfile + " exposes " + port);
        assertTrue(text.contains("launcher/target/lib/"), dockerfile + " ships the launcher classpath");
    }

    private static void assertStateVolume(String service, String stateDir) {
        assertTrue(list(services.get(service).get("volumes")).stream().anyMatch(v -> v.endsWith(":" + stateDir)),
                service + " keeps " + stateDir + " on a volume");
    }

    private static int alertingPort() {
        return Integer.parseInt(env("alerting").get(EnvironmentKeys.variable(EnvironmentKeys.ALERTING, "alerting.http.port")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(String service) {
        Map<String, Object> raw = (Map<String, Object>) services.get(service).get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object o) {
        List<String> out = new ArrayList<>();
        for (Object x : (List<Object>) o) {
            out.add(String.valueOf(x));
        }
        return out;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** Keys the streams processor reads: its own constants, the dashboard's, Kafka's and the serde's. */
    private static Set<String> streamsKeys() throws IllegalAccessException {
        Set<String> keys = kafkaKeys();
        keys.addAll(constants(ProcessorConfig.class, "harbinger."));
        keys.addAll(constants(StreamsServiceConfig.class, "harbinger."));
        keys.addAll(constants(Dashboard.class, "harbinger."));
        return keys;
    }

    private static Set<String> kafkaKeys() throws IllegalAccessException {
        Set<String> keys = new HashSet<>(StreamsConfig.configDef().names());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        keys.addAll(constants(SerdeConfig.class, ""));
        return keys;
    }

    /** Public static String constants of {@code type} whose value starts with {@code prefix}. */
    private static Set<String> constants(Class<?> type, String prefix) throws IllegalAccessException {
        Set<String> out = new HashSet<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String v = (String) f.get(null);
                if (v != null && v.startsWith(prefix) && !v.contains("://")) {
                    out.add(v);
                }
            }
        }
        return out;
    }
}
