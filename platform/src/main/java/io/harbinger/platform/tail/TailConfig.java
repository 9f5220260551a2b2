package io.harbinger.platform.tail;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code harbinger tail} does.
 *
 * @param fromBeginning start at the earliest offset of every partition instead of the end
 * @param max           stop after this many records
 * @param idleTimeout   stop when no record arrived for this long (empty: run until interrupted or {@code max})
 * @param clientConfig  consumer and serde config: {@code bootstrap.servers}, {@code schema.registry.url}, ...
 */
public record TailConfig(String topic, boolean fromBeginning, OptionalLong max, Optional<Duration> idleTimeout,
                         Map<String, Object> clientConfig) {
    public TailConfig {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("a topic name is required");
        }
        if (max.isPresent() && max.getAsLong() < 1) {
            throw new IllegalArgumentException("--max must be at least 1, got " + max.getAsLong());
        }
        clientConfig = Map.copyOf(clientConfig);
    }
}
