package io.harbinger.streams;

import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.streams.latency.SyscallLatencyTopology;
import io.harbinger.streams.maps.MapTrendTopology;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/** The whole streams processor: syscall latency and Go map trends, side by side in one application. */
public final class ProcessorTopology {
    private ProcessorTopology() {}

    public static void addTo(StreamsBuilder builder, ProcessorConfig config) {
        SyscallLatencyTopology.addTo(builder, config);
        MapTrendTopology.addTo(builder, config);
    }

    public static Topology build(ProcessorConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, config);
        return builder.build();
    }
}
