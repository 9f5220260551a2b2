package io.harbinger.launcher.command;

import io.harbinger.platform.PlatformConfig;
import io.harbinger.serde.SerdeConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where Kafka and the registry are: by default those of {@code harbinger up} (read from its state directory),
 * else the flags. Extra client and serde settings (SASL, basic auth, ...) as {@code -p KEY=VALUE}.
 */
public final class ConnectionOptions {
    @Mixin
    StateDirOption stateDir;

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: those of `harbinger up`).")
    String bootstrapServers;

    @Option(names = {"-r", "--registry-url"}, paramLabel = "URL",
            description = "Schema registry URL, Confluent API (default: that of `harbinger up`).")
    String registryUrl;

    @Option(names = {"-p", "--property"}, paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Extra Kafka client or serde property (repeatable), e.g. -p security.protocol=SASL_PLAINTEXT.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** Client config: bootstrap servers, schema.registry.url, then the -p properties. */
    public Map<String, Object> clientConfig() {
        PlatformConfig platform = PlatformConfig.load(stateDir.resolve());
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers != null ? bootstrapServers : platform.bootstrapServers());
        c.put(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl != null ? registryUrl : platform.registryUrl());
        c.putAll(properties);
        return c;
    }
}
