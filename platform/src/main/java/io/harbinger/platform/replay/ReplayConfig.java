package io.harbinger.platform.replay;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What {@code harbinger replay} does.
 *
 * @param input        the JSONL recording (CONTRACTS.md format)
 * @param speed        event-time speed-up (10 = ten times real time); empty = as fast as possible
 * @param clientConfig Kafka producer and serde config: {@code bootstrap.servers}, {@code schema.registry.url}, ...
 */
public record ReplayConfig(Path input, OptionalDouble speed, Map<String, Object> clientConfig) {
    public ReplayConfig {
        if (speed.isPresent() && !(speed.getAsDouble() > 0 && Double.isFinite(speed.getAsDouble()))) {
            throw new IllegalArgumentException("--speed must be a positive number or max, got " + speed.getAsDouble());
        }
        clientConfig = Map.copyOf(clientConfig);
    }

    /** Parses a {@code --speed} value: {@code max} or a positive number. */
    public static OptionalDouble parseSpeed(String value) {
        if (value == null || value.equalsIgnoreCase("max")) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(value.endsWith("x") ? value.substring(0, value.length() - 1) : value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--speed must be a positive number or max, got '" + value + "'");
        }
    }
}
