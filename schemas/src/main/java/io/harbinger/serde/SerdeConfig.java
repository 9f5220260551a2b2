package io.harbinger.serde;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Serde settings under Confluent's config names, so a configuration written for Confluent's serializers works
 * unchanged. Ours are prefixed {@code schema.registry.} and have defaults that work.
 *
 * @param registryUrls        {@code schema.registry.url}: one or more base URLs, comma-separated; tried in order
 * @param autoRegister        {@code auto.register.schemas} (default true): register the writer schema on first use
 * @param useLatestVersion    {@code use.latest.version} (default false): serialize with the subject's latest id
 * @param basicAuthUserInfo   {@code basic.auth.user.info} ("user:password") when
 *                            {@code basic.auth.credentials.source} is USER_INFO (the default when user info is set)
 * @param requestTimeout      {@code schema.registry.request.timeout.ms} (default 5000)
 * @param retries             {@code schema.registry.retries} (default 3): retries on I/O errors, 5xx and 429
 * @param retryBackoff        {@code schema.registry.retry.backoff.ms} (default 200, doubled each retry, capped at 5 s)
 */
public record SerdeConfig(List<String> registryUrls, boolean autoRegister, boolean useLatestVersion,
                          String basicAuthUserInfo, Duration requestTimeout, int retries, Duration retryBackoff) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String RETRIES = "schema.registry.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";

    public SerdeConfig {
        if (registryUrls.isEmpty()) {
            throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + " is not set");
        }
        registryUrls = List.copyOf(registryUrls);
        if (retries < 0) {
            throw new IllegalArgumentException(RETRIES + " must be >= 0, got " + retries);
        }
    }

    /** Parses the serde keys out of a Kafka client / Streams configuration map; other keys are ignored. */
    public static SerdeConfig from(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException(SCHEMA_REGISTRY_URL + " is not set");
        }
        List<String> urls = Arrays.stream(url.toString().split(","))
                .map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
                .toList();
        String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
        String userInfo = string(configs, BASIC_AUTH_USER_INFO, null);
        if (userInfo != null && !"USER_INFO".equalsIgnoreCase(source)) {
            throw new IllegalArgumentException(BASIC_AUTH_CREDENTIALS_SOURCE + " '" + source
                    + "' is not supported (only USER_INFO)");
        }
        if (userInfo != null && userInfo.indexOf(':') < 0) {
            throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be user:password");
        }
        return new SerdeConfig(urls,
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                userInfo,
                Duration.ofMillis(number(configs, REQUEST_TIMEOUT_MS, 5000)),
                (int) number(configs, RETRIES, 3),
                Duration.ofMillis(number(configs, RETRY_BACKOFF_MS, 200)));
    }

    /** A config for one registry URL with defaults; handy for tools and tests. */
    public static SerdeConfig forUrl(String url) {
        return from(Map.of(SCHEMA_REGISTRY_URL, url));
    }

    @Override
    public String toString() {
        // Never print the password.
        return "SerdeConfig[registryUrls=" + registryUrls + ", autoRegister=" + autoRegister
                + ", useLatestVersion=" + useLatestVersion + ", basicAuth=" + (basicAuthUserInfo != null ? "set" : "none")
                + ", requestTimeout=" + requestTimeout + ", retries=" + retries + ", retryBackoff=" + retryBackoff + "]";
    }

    private static String string(Map<String, ?> c, String key, String dflt) {
        Object v = c.get(key);
        return v == null || v.toString().isBlank() ? dflt : v.toString().trim();
    }

    private static boolean bool(Map<String, ?> c, String key, boolean dflt) {
        Object v = c.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(key + " must be true or false, got '" + s + "'");
    }

    private static long number(Map<String, ?> c, String key, long dflt) {
        Object v = c.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }
}
