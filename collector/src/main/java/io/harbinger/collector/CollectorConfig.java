package io.harbinger.collector;

import io.harbinger.collector.gomap.GoMapWatcher;
import io.harbinger.collector.syscall.SyscallProbeOptions;
import io.harbinger.collector.syscall.SyscallProbeOptions.Attach;
import io.harbinger.collector.syscall.SyscallProbeOptions.StartStorage;
import io.harbinger.collector.enrich.SyscallTable;
import io.harbinger.collector.syscall.SyscallProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code harbinger collector --config FILE}: the daemon's configuration, parsed and validated in one place.
 * Every key is optional; docs/collector.md lists them with their defaults (also in collector-example.yaml).
 *
 * @param settings    probes and buffers
 * @param kafka       producer and serde properties (Kafka and Confluent names), over KafkaPublishing's defaults
 * @param metricsBind address of the metrics endpoint
 * @param metricsPort its port, 0 to disable
 * @param metricsToken bearer token /metrics requires, or null (none)
 */
public record CollectorConfig(CollectorSettings settings, Map<String, Object> kafka, String metricsBind,
                              int metricsPort, String metricsToken) {

    /** Without a metrics token. */
    public CollectorConfig(CollectorSettings settings, Map<String, Object> kafka, String metricsBind, int metricsPort) {
        this(settings, kafka, metricsBind, metricsPort, null);
    }

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    public static final String DEFAULT_REGISTRY = "http://127.0.0.1:8081/api/v1/confluent";
    public static final int DEFAULT_METRICS_PORT = 9464;

    /** A config value is wrong; the message is one line naming the file and key. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    /** Never prints secrets: SASL/TLS passwords, JAAS config, registry credentials, the metrics token. */
    @Override
    public String toString() {
        Map<String, Object> shown = new java.util.TreeMap<>();
        kafka.forEach((k, v) -> {
            String key = k.toLowerCase(java.util.Locale.ROOT);
            boolean secret = key.contains("password") || key.contains("jaas") || key.contains("secret")
                    || key.contains("user.info") || key.contains("token") || key.endsWith(".key");
            shown.put(k, secret ? "[hidden]" : v);
        });
        return "CollectorConfig[settings=" + settings + ", kafka=" + shown + ", metrics=" + metricsBind + ":"
                + metricsPort + ", metricsToken=" + (metricsToken == null ? "none" : "set") + "]";
    }

    public static CollectorConfig defaults() {
        return parse("{}", "defaults");
    }

    public static CollectorConfig load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("cannot read config " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("cannot read config " + file + ": " + e.getMessage());
        }
    }

    /**
     * {@code file} (null: none) with the {@code HARBINGER_COLLECTOR_*} variables of {@code env} laid over it: the rest
     * of a variable's name is the YAML path ({@code HARBINGER_COLLECTOR_SYSCALLS_SAMPLE__EVERY} sets
     * {@code syscalls.sample_every}, {@code HARBINGER_COLLECTOR_KAFKA_SASL_MECHANISM} sets {@code kafka:}'s
     * {@code sasl.mechanism}); values are YAML scalars or flow lists ({@code [a, b]}). See
     * {@link io.harbinger.config.EnvironmentKeys}.
     */
    @SuppressWarnings("unchecked")
    public static CollectorConfig load(Path file, Map<String, String> env) {
        Map<String, String> overrides = io.harbinger.config.EnvironmentKeys.keys(
                io.harbinger.config.EnvironmentKeys.COLLECTOR, env);
        if (overrides.isEmpty()) {
            return file == null ? defaults() : load(file);
        }
        String source = (file == null ? "" : file + " and ") + "environment";
        Map<String, Object> root = new HashMap<>();
        if (file != null) {
            String text;
            try {
                text = Files.readString(file);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ConfigException("cannot read config " + file + ": no such file");
            } catch (IOException e) {
                throw new ConfigException("cannot read config " + file + ": " + e.getMessage());
            }
            try {
                Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
                if (o != null) {
                    root.putAll(asMap(file.toString(), "", o));
                }
            } catch (YAMLException e) {
                throw new ConfigException(file + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
            }
        }
        Yaml scalars = new Yaml(new SafeConstructor(new LoaderOptions()));
        overrides.forEach((key, value) -> {
            int dot = key.indexOf('.');
            Object v;
            try {
                v = scalars.load(value);
            } catch (YAMLException e) {
                throw new ConfigException(source + ": " + key + ": not a YAML value: " + value);
            }
            if (dot < 0) {
                root.put(key, v);
            } else {
                String section = key.substring(0, dot);
                Object existing = root.get(section);
                Map<String, Object> m = existing instanceof Map ? new HashMap<>((Map<String, Object>) existing) : new HashMap<>();
                // kafka: keys stay strings (producer properties); everything else as YAML typed it
                m.put(key.substring(dot + 1), section.equals("kafka") ? value : v);
                root.put(section, m);
            }
        });
        return parse(new Yaml().dump(root), source);
    }

    public static CollectorConfig parse(String yaml, String source) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        Section top = new Section(source, "", root == null ? Map.of() : asMap(source, "", root));
        top.allow("host", "kafka", "syscalls", "gomaps", "publish", "metrics");
        String host = top.string("host", "");

        Section sc = top.section("syscalls");
        sc.allow("enabled", "comms", "pids", "cgroup_ids", "syscalls", "min_latency_us", "sample_every", "attach",
                "start_storage", "ring_buffer_mb", "exclude_self", "batch", "batch_flush_ms");
        Set<Integer> syscallNrs;
        try {
            syscallNrs = SyscallProbe.syscallNumbers(SyscallTable.forHost(), sc.strings("syscalls"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": syscalls.syscalls: " + e.getMessage());
        }
        int ringMb = sc.integer("ring_buffer_mb", 16);
        SyscallProbeOptions so = sc.build(() -> new SyscallProbeOptions(
                sc.integer("min_latency_us", 0) * 1000L,
                sc.integer("sample_every", 1),
                new HashSet<>(sc.integers("pids")),
                new HashSet<>(sc.strings("comms")),
                new HashSet<>(sc.longs("cgroup_ids")),
                syscallNrs,
                sc.enumValue("attach", Attach.class, Attach.TP_BTF),
                sc.enumValue("start_storage", StartStorage.class, StartStorage.TASK),
                ringMb * 1024 * 1024,
                sc.bool("exclude_self", true),
                sc.integer("batch", SyscallProbeOptions.DEFAULT_BATCH),
                sc.integer("batch_flush_ms", (int) (SyscallProbeOptions.DEFAULT_BATCH_FLUSH_NS / 1_000_000L))
                        * 1_000_000L));

        Section gm = top.section("gomaps");
        gm.allow("enabled", "comms", "poll_interval_ms", "scan_interval_ms", "max_maps");
        GoMapWatcher.Options go = gm.build(() -> new GoMapWatcher.Options(new HashSet<>(gm.strings("comms")),
                Duration.ofMillis(gm.integer("poll_interval_ms", 1000)),
                Duration.ofMillis(gm.integer("scan_interval_ms", 5000)),
                gm.integer("max_maps", 10_000)));

        Section pub = top.section("publish");
        pub.allow("queue_capacity", "map_queue_capacity", "ring_poll_ms");
        CollectorSettings settings = top.build(() -> new CollectorSettings(host, sc.bool("enabled", true), so,
                gm.bool("enabled", true), go, pub.integer("queue_capacity", 1 << 18),
                pub.integer("map_queue_capacity", 10_000), pub.integer("ring_poll_ms", 10)));

        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", DEFAULT_BOOTSTRAP);
        kafka.put("schema.registry.url", DEFAULT_REGISTRY);
        Object k = top.values.get("kafka");
        if (k != null) {
            asMap(source, "kafka", k).forEach((key, v) -> kafka.put(key, String.valueOf(v)));
        }

        Section m = top.section("metrics");
        m.allow("bind", "port", "token");
        int port = m.integer("port", DEFAULT_METRICS_PORT);
        if (port < 0 || port > 65535) {
            throw new ConfigException(source + ": metrics.port: must be 0-65535, got " + port);
        }
        String token = m.string("token", "");
        return new CollectorConfig(settings, Map.copyOf(kafka), m.string("bind", "127.0.0.1"), port,
                token.isBlank() ? null : token);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(String source, String path, Object o) {
        if (!(o instanceof Map)) {
            throw new ConfigException(source + ": " + (path.isEmpty() ? "the document" : path) + ": must be a mapping");
        }
        Map<String, Object> out = new HashMap<>();
        ((Map<Object, Object>) o).forEach((key, v) -> out.put(String.valueOf(key), v));
        return out;
    }

    /** One mapping of the document with typed, path-named accessors. */
    private static final class Section {
        final String source;
        final String path;
        final Map<String, Object> values;

        Section(String source, String path, Map<String, Object> values) {
            this.source = source;
            this.path = path;
            this.values = values;
        }

        void allow(String... keys) {
            Set<String> ok = Set.of(keys);
            for (String k : values.keySet()) {
                if (!ok.contains(k)) {
                    throw new ConfigException(source + ": unknown key " + name(k) + " (known: " + String.join(", ", keys) + ")");
                }
            }
        }

        Section section(String key) {
            Object v = values.get(key);
            return new Section(source, name(key), v == null ? Map.of() : asMap(source, name(key), v));
        }

        String name(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        String string(String key, String def) {
            Object v = values.get(key);
            return v == null ? def : String.valueOf(v);
        }

        int integer(String key, int def) {
            Object v = values.get(key);
            if (v == null) {
                return def;
            }
            if (v instanceof Integer i) {
                return i;
            }
            throw new ConfigException(source + ": " + name(key) + ": must be an integer, got '" + v + "'");
        }

        boolean bool(String key, boolean def) {
            Object v = values.get(key);
            if (v == null) {
                return def;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            throw new ConfigException(source + ": " + name(key) + ": must be true or false, got '" + v + "'");
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
            Object v = values.get(key);
            if (v == null) {
                return def;
            }
            try {
                return Enum.valueOf(type, String.valueOf(v).toUpperCase());
            } catch (IllegalArgumentException e) {
                StringBuilder known = new StringBuilder();
                for (E c : type.getEnumConstants()) {
                    known.append(known.length() == 0 ? "" : ", ").append(c.name().toLowerCase());
                }
                throw new ConfigException(source + ": " + name(key) + ": must be one of " + known + ", got '" + v + "'");
            }
        }

        List<?> list(String key) {
            Object v = values.get(key);
            if (v == null) {
                return List.of();
            }
            if (v instanceof List<?> l) {
                return l;
            }
            throw new ConfigException(source + ": " + name(key) + ": must be a list");
        }

        List<String> strings(String key) {
            return list(key).stream().map(String::valueOf).toList();
        }

        List<Integer> integers(String key) {
            return list(key).stream().map(o -> {
                if (o instanceof Integer i) {
                    return i;
                }
                throw new ConfigException(source + ": " + name(key) + ": must be a list of integers, got '" + o + "'");
            }).toList();
        }

        List<Long> longs(String key) {
            return list(key).stream().map(o -> {
                if (o instanceof Number n) {
                    return n.longValue();
                }
                throw new ConfigException(source + ": " + name(key) + ": must be a list of integers, got '" + o + "'");
            }).toList();
        }

        /** Turns a record constructor's validation error into a config error naming this section. */
        <T> T build(java.util.function.Supplier<T> ctor) {
            try {
                return ctor.get();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source + ": " + (path.isEmpty() ? "" : path + ": ") + e.getMessage());
            }
        }
    }
}
