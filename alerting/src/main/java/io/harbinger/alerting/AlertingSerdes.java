package io.harbinger.alerting;

import io.harbinger.schema.Alert;
import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.Silence;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.serde.AvroSerdes;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.common.serialization.Serde;

import java.util.Map;

/**
 * The Serdes of every topic the alerting topology reads or writes, from {@link TopicSpecs}: Confluent's wire format
 * through the schema registry, or plain Avro when {@code harbinger.serde.format=avro-binary} (offline backtest).
 *
 * @param syscallKey key of the internal repartition topic that groups latency windows by series
 */
public record AlertingSerdes(Serde<MapKey> mapKey, Serde<MapTrend> mapTrend, Serde<LatencyWindowKey> latencyKey,
                             Serde<SyscallLatencyWindow> latency, Serde<SyscallKey> syscallKey, Serde<Alert> alert,
                             Serde<Silence> silence) {

    /** {@code config} holds {@code schema.registry.url} and the other serde settings, or the avro-binary format. */
    public static AlertingSerdes from(Map<String, ?> config) {
        return new AlertingSerdes(
                TopicSpecs.GOMAP_TRENDS.keySerde(config),
                TopicSpecs.GOMAP_TRENDS.valueSerde(config),
                TopicSpecs.SYSCALL_LATENCY.keySerde(config),
                TopicSpecs.SYSCALL_LATENCY.valueSerde(config),
                TopicSpecs.registryFree(config) ? new AvroBinarySerde<>(SyscallKey.class)
                        : AvroSerdes.specific(SyscallKey.class, config, true),
                TopicSpecs.ALERTS.valueSerde(config),
                TopicSpecs.SILENCES.valueSerde(config));
    }
}
