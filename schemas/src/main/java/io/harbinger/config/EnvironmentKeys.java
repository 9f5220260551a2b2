package io.harbinger.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Configuration by environment variables with the same keys as the config files (containers, systemd): each
 * service reads the variables that start with its prefix, and the rest of the name is the key, written the way
 * Confluent's images write Kafka keys — upper case, {@code .} as {@code _}, {@code _} as {@code __} and {@code -} as
 * {@code ___}:
 * <pre>
 *   HARBINGER_STREAMS_BOOTSTRAP_SERVERS          bootstrap.servers           (streams processor)
 *   HARBINGER_STREAMS_HARBINGER_HTTP_PORT        harbinger.http.port
 *   HARBINGER_ALERTING_ALERTING_HTTP_HOST        alerting.http.host          (alerting)
 *   HARBINGER_COLLECTOR_KAFKA_BOOTSTRAP_SERVERS  kafka.bootstrap.servers     (collector, YAML path)
 *   HARBINGER_COLLECTOR_SYSCALLS_SAMPLE__EVERY   syscalls.sample_every
 * </pre>
 * Precedence everywhere: command-line flags, then the environment, then the config file, then the defaults.
 */
public final class EnvironmentKeys {
    public static final String STREAMS = "HARBINGER_STREAMS_";
    public static final String ALERTING = "HARBINGER_ALERTING_";
    public static final String COLLECTOR = "HARBINGER_COLLECTOR_";

    private EnvironmentKeys() {}

    /** The variable that sets {@code key} for the service with {@code prefix}. */
    public static String variable(String prefix, String key) {
        StringBuilder sb = new StringBuilder(prefix);
        for (char c : key.toCharArray()) {
            switch (c) {
                case '.' -> sb.append('_');
                case '_' -> sb.append("__");
                case '-' -> sb.append("___");
                default -> sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    /** The key a variable name (without the prefix) stands for. */
    public static String key(String suffix) {
        StringBuilder sb = new StringBuilder();
        String s = suffix.toLowerCase(Locale.ROOT);
        for (int i = 0; i < s.length(); ) {
            if (s.startsWith("___", i)) {
                sb.append('-');
                i += 3;
            } else if (s.startsWith("__", i)) {
                sb.append('_');
                i += 2;
            } else if (s.charAt(i) == '_') {
                sb.append('.');
                i++;
            } else {
                sb.append(s.charAt(i++));
            }
        }
        return sb.toString();
    }

    /** Every key {@code env} sets for the service with {@code prefix}, sorted, with its value. */
    public static Map<String, String> keys(String prefix, Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                out.put(key(name.substring(prefix.length())), value);
            }
        });
        return out;
    }
}
