package io.harbinger.alerting;

import io.harbinger.alerting.notify.SinkConfig;
import io.harbinger.alerting.rule.Durations;
import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.alerting.rule.RuleSet;
import io.harbinger.serde.DeadLetterDeserializationHandler;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything the alerting service runs with, as data. Read from an optional properties file: keys starting with
 * {@code alerting.} are ours (see docs/alerting.md), every other key goes to the Kafka clients and Streams as is
 * (so TLS/SASL settings pass through), with defaults filled in where absent.
 *
 * @param kafka              Kafka client / Streams / serde configuration
 * @param rules              the validated rules
 * @param httpHost           REST bind address (default 127.0.0.1)
 * @param httpPort           REST port (default 8095; 0 = any free port)
 * @param httpToken          bearer token the REST API requires when set (all but /healthz)
 * @param sinks              HTTP sinks fed from harbinger.alerts
 * @param resolvedRetention  how long RESOLVED alerts stay listed (default 1h)
 * @param housekeepingEvery  stream-time period of stale checks and purges (default 1m)
 * @param sinkStart          where a sink's new consumer group starts: latest (default; no paging for history) or
 *                           earliest
 */
public record AlertingConfig(Map<String, Object> kafka, RuleSet rules, String httpHost, int httpPort,
                             String httpToken, List<SinkConfig> sinks, Duration resolvedRetention,
                             Duration housekeepingEvery, String sinkStart) {

    public static final String DEFAULT_APPLICATION_ID = "harbinger-alerting";
    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    public static final String DEFAULT_REGISTRY = "http://127.0.0.1:8081/api/v1/confluent";
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8095;
    public static final Duration DEFAULT_RESOLVED_RETENTION = Duration.ofHours(1);
    public static final Duration DEFAULT_HOUSEKEEPING = Duration.ofMinutes(1);

    private static final String PREFIX = "alerting.";
    private static final Set<String> OWN_KEYS = Set.of("alerting.rules", "alerting.http.host", "alerting.http.port",
            "alerting.http.token", "alerting.resolved.retention", "alerting.housekeeping.interval", "alerting.sinks",
            "alerting.sinks.start");
    private static final Set<String> SINK_KEYS = Set.of("type", "url", "routing.key", "routes", "retries", "backoff",
            "backoff.max", "timeout", "token");

    public AlertingConfig {
        kafka = Map.copyOf(kafka);
        sinks = List.copyOf(sinks);
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("alerting.http.port " + httpPort + " is out of range 0-65535");
        }
        if (!sinkStart.equals("latest") && !sinkStart.equals("earliest")) {
            throw new IllegalArgumentException("alerting.sinks.start must be latest or earliest, got '" + sinkStart
                    + "'");
        }
    }

    /** Defaults everywhere, the given rules. */
    public static AlertingConfig defaults(RuleSet rules) {
        return new AlertingConfig(withDefaults(Map.of()), rules, DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, null, List.of(),
                DEFAULT_RESOLVED_RETENTION, DEFAULT_HOUSEKEEPING, "latest");
    }

    /**
     * Reads {@code configFile} (may be null: all defaults) and the rules ({@code rulesFile} wins over
     * {@code alerting.rules}; neither: the default rules).
     *
     * @throws IllegalArgumentException one line naming the file and the key
     * @throws io.harbinger.alerting.rule.InvalidRuleException for the rules file
     */
    public static AlertingConfig load(Path configFile, Path rulesFile) {
        return load(configFile, rulesFile, Map.of());
    }

    /**
     * As {@link #load(Path, Path)}, with the {@code HARBINGER_ALERTING_*} variables of {@code env} laid over the file
     * (same keys, see {@link io.harbinger.config.EnvironmentKeys}).
     */
    public static AlertingConfig load(Path configFile, Path rulesFile, Map<String, String> env) {
        Properties p = new Properties();
        if (configFile != null) {
            try (Reader r = Files.newBufferedReader(configFile)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(configFile + ": no such file");
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(configFile + ": cannot read: " + e.getMessage());
            }
        }
        Map<String, String> fromEnv = io.harbinger.config.EnvironmentKeys.keys(io.harbinger.config.EnvironmentKeys.ALERTING, env);
        p.putAll(fromEnv);
        try {
            return fromProperties(p, rulesFile);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((configFile == null ? "config" : configFile.toString())
                    + (fromEnv.isEmpty() ? "" : " and environment") + ": " + e.getMessage());
        }
    }

    static AlertingConfig fromProperties(Properties p, Path rulesFile) {
        Map<String, String> all = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k).trim()));
        Map<String, Object> kafka = new HashMap<>();
        Map<String, String> own = new HashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                own.put(k, v);
            } else {
                kafka.put(k, v);
            }
        });
        List<SinkConfig> sinks = sinks(own);
        for (String k : own.keySet()) {
            if (!OWN_KEYS.contains(k) && !k.startsWith("alerting.sink.")) {
                throw new IllegalArgumentException("unknown key '" + k + "' (known: " + String.join(", ",
                        OWN_KEYS.stream().sorted().toList()) + ", alerting.sink.NAME.*)");
            }
        }
        Path rules = rulesFile != null ? rulesFile
                : own.containsKey("alerting.rules") ? Path.of(own.get("alerting.rules")) : null;
        RuleSet ruleSet = rules == null ? RuleFile.defaults() : RuleFile.load(rules);
        return new AlertingConfig(withDefaults(kafka), ruleSet,
                own.getOrDefault("alerting.http.host", DEFAULT_HTTP_HOST),
                integer(own, "alerting.http.port", DEFAULT_HTTP_PORT),
                blankToNull(own.get("alerting.http.token")),
                sinks,
                duration(own, "alerting.resolved.retention", DEFAULT_RESOLVED_RETENTION),
                positive(duration(own, "alerting.housekeeping.interval", DEFAULT_HOUSEKEEPING),
                        "alerting.housekeeping.interval"),
                own.getOrDefault("alerting.sinks.start", "latest"));
    }

    private static List<SinkConfig> sinks(Map<String, String> own) {
        String names = own.get("alerting.sinks");
        List<SinkConfig> out = new ArrayList<>();
        Set<String> declared = names == null || names.isBlank() ? Set.of()
                : Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        for (String k : own.keySet()) {
            if (k.startsWith("alerting.sink.") && !k.equals("alerting.sinks.start")) {
                String rest = k.substring("alerting.sink.".length());
                int dot = rest.indexOf('.');
                String name = dot < 0 ? rest : rest.substring(0, dot);
                String key = dot < 0 ? "" : rest.substring(dot + 1);
                if (!declared.contains(name)) {
                    throw new IllegalArgumentException("'" + k + "' configures sink '" + name
                            + "', which alerting.sinks does not list");
                }
                if (!SINK_KEYS.contains(key)) {
                    throw new IllegalArgumentException("unknown key '" + k + "' (sink keys: " + String.join(", ",
                            SINK_KEYS.stream().sorted().toList()) + ")");
                }
            }
        }
        for (String name : declared) {
            String base = "alerting.sink." + name + ".";
            String type = own.get(base + "type");
            if (type == null) {
                throw new IllegalArgumentException(base + "type is missing (pagerduty or webhook)");
            }
            SinkConfig.Type t = switch (type.toLowerCase(java.util.Locale.ROOT)) {
                case "pagerduty" -> SinkConfig.Type.PAGERDUTY;
                case "webhook", "alertmanager" -> SinkConfig.Type.WEBHOOK;
                default -> throw new IllegalArgumentException(base + "type '" + type
                        + "' is not one of pagerduty, webhook");
            };
            String url = own.get(base + "url");
            if (url == null && t == SinkConfig.Type.WEBHOOK) {
                throw new IllegalArgumentException(base + "url is missing");
            }
            URI uri;
            try {
                uri = url == null ? SinkConfig.PAGERDUTY_EVENTS_V2 : URI.create(url);
                if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(base + "url '" + url + "': " + e.getMessage());
            }
            String routes = own.getOrDefault(base + "routes", "");
            out.add(new SinkConfig(name, t, uri, own.get(base + "routing.key"),
                    Arrays.stream(routes.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                            .collect(Collectors.toSet()),
                    integer(own, base + "retries", SinkConfig.DEFAULT_RETRIES),
                    duration(own, base + "backoff", SinkConfig.DEFAULT_BACKOFF),
                    duration(own, base + "backoff.max", SinkConfig.DEFAULT_MAX_BACKOFF),
                    positive(duration(own, base + "timeout", SinkConfig.DEFAULT_TIMEOUT), base + "timeout"),
                    blankToNull(own.get(base + "token"))));
        }
        return out;
    }

    /** Kafka defaults that work against {@code harbinger up}: exactly-once v2, dead letters for bad input. */
    static Map<String, Object> withDefaults(Map<String, Object> given) {
        Map<String, Object> m = new LinkedHashMap<>(given);
        m.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        m.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP);
        m.putIfAbsent("schema.registry.url", DEFAULT_REGISTRY);
        m.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        m.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        m.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingHandler.class.getName());
        m.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, Path.of(".harbinger", "alerting-state").toString());
        m.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return m;
    }

    public String applicationId() {
        return kafka.get(StreamsConfig.APPLICATION_ID_CONFIG).toString();
    }

    public Properties streamsProperties() {
        Properties p = new Properties();
        p.putAll(kafka);
        return p;
    }

    public AlertingConfig withKafka(Map<String, Object> overrides) {
        Map<String, Object> k = new HashMap<>(kafka);
        k.putAll(overrides);
        return new AlertingConfig(k, rules, httpHost, httpPort, httpToken, sinks, resolvedRetention,
                housekeepingEvery, sinkStart);
    }

    public AlertingConfig withHttp(String host, int port, String token) {
        return new AlertingConfig(kafka, rules, host, port, token, sinks, resolvedRetention, housekeepingEvery,
                sinkStart);
    }

    public AlertingConfig withRules(RuleSet r) {
        return new AlertingConfig(kafka, r, httpHost, httpPort, httpToken, sinks, resolvedRetention,
                housekeepingEvery, sinkStart);
    }

    public AlertingConfig withSinkStart(String start) {
        return new AlertingConfig(kafka, rules, httpHost, httpPort, httpToken, sinks, resolvedRetention,
                housekeepingEvery, start);
    }

    public AlertingConfig withSinks(List<SinkConfig> s) {
        return new AlertingConfig(kafka, rules, httpHost, httpPort, httpToken, s, resolvedRetention,
                housekeepingEvery, sinkStart);
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new TreeMap<>();
        kafka.forEach((k, v) -> shown.put(k, isSecret(k) ? "[hidden]" : v));
        return "AlertingConfig[kafka=" + shown + ", rules=" + rules.rules().size() + " from " + rules.source()
                + ", http=" + httpHost + ":" + httpPort + ", httpToken=" + (httpToken == null ? "none" : "set")
                + ", sinks=" + sinks + ", resolvedRetention=" + Durations.format(resolvedRetention)
                + ", housekeepingEvery=" + Durations.format(housekeepingEvery) + ", sinkStart=" + sinkStart + "]";
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.contains("user.info")
                || k.contains("token") || k.endsWith(".key");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static int integer(Map<String, String> m, String key, int dflt) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    private static Duration duration(Map<String, String> m, String key, Duration dflt) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static Duration positive(Duration d, String key) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be > 0");
        }
        return d;
    }
}
