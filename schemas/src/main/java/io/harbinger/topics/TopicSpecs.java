package io.harbinger.topics;

import io.harbinger.schema.Alert;
import io.harbinger.schema.DeadLetter;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.LatencyWindowKey;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.Silence;
import io.harbinger.schema.SyscallEvent;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.Map;
import java.util.function.BiFunction;

/** Every Harbinger topic with its key and value types (CONTRACTS.md, "Kafka topics"). */
public final class TopicSpecs {
    public static final TopicSpec<SyscallKey, SyscallEvent> SYSCALL_EVENTS =
            new TopicSpec<>(Topics.SYSCALL_EVENTS, avro(SyscallKey.class), avro(SyscallEvent.class), SyscallEvent.class);
    public static final TopicSpec<MapKey, GoMapEvent> GOMAP_EVENTS =
            new TopicSpec<>(Topics.GOMAP_EVENTS, avro(MapKey.class), avro(GoMapEvent.class), GoMapEvent.class);
    public static final TopicSpec<LatencyWindowKey, SyscallLatencyWindow> SYSCALL_LATENCY =
            new TopicSpec<>(Topics.SYSCALL_LATENCY, avro(LatencyWindowKey.class), avro(SyscallLatencyWindow.class), SyscallLatencyWindow.class);
    public static final TopicSpec<MapKey, MapTrend> GOMAP_TRENDS =
            new TopicSpec<>(Topics.GOMAP_TRENDS, avro(MapKey.class), avro(MapTrend.class), MapTrend.class);
    public static final TopicSpec<String, Alert> ALERTS =
            new TopicSpec<>(Topics.ALERTS, (c, k) -> Serdes.String(), avro(Alert.class), Alert.class);
    public static final TopicSpec<byte[], DeadLetter> DEADLETTER =
            new TopicSpec<>(Topics.DEADLETTER, (c, k) -> Serdes.ByteArray(), avro(DeadLetter.class), DeadLetter.class);
    public static final TopicSpec<String, Silence> SILENCES =
            new TopicSpec<>(Topics.SILENCES, (c, k) -> Serdes.String(), avro(Silence.class), Silence.class);

    private TopicSpecs() {}

    /**
     * Every Avro subject of the contract's topics (Confluent's TopicNameStrategy: {@code <topic>-key},
     * {@code <topic>-value}) with its schema, in a fixed order: what a registry should hold before clients start.
     */
    public static Map<String, org.apache.avro.Schema> contractSubjects() {
        Map<String, org.apache.avro.Schema> s = new java.util.LinkedHashMap<>();
        s.put(Topics.SYSCALL_EVENTS + "-key", SyscallKey.getClassSchema());
        s.put(Topics.SYSCALL_EVENTS + "-value", SyscallEvent.getClassSchema());
        s.put(Topics.GOMAP_EVENTS + "-key", MapKey.getClassSchema());
        s.put(Topics.GOMAP_EVENTS + "-value", GoMapEvent.getClassSchema());
        s.put(Topics.SYSCALL_LATENCY + "-key", LatencyWindowKey.getClassSchema());
        s.put(Topics.SYSCALL_LATENCY + "-value", SyscallLatencyWindow.getClassSchema());
        s.put(Topics.GOMAP_TRENDS + "-key", MapKey.getClassSchema());
        s.put(Topics.GOMAP_TRENDS + "-value", MapTrend.getClassSchema());
        s.put(Topics.ALERTS + "-value", Alert.getClassSchema());
        s.put(Topics.DEADLETTER + "-value", DeadLetter.getClassSchema());
        s.put(Topics.SILENCES + "-value", Silence.getClassSchema());
        return s;
    }

    /**
     * {@value #SERDE_FORMAT}: {@code confluent} (default) is Confluent's wire format through the schema registry;
     * {@code avro-binary} is plain Avro without a registry, for the offline backtest where records never leave the JVM.
     */
    public static final String SERDE_FORMAT = "harbinger.serde.format";

    /** True when {@code config} selects the registry-free {@code avro-binary} format. */
    public static boolean registryFree(Map<String, ?> config) {
        Object format = config.get(SERDE_FORMAT);
        if (format == null || "confluent".equals(format.toString())) {
            return false;
        }
        if ("avro-binary".equals(format.toString())) {
            return true;
        }
        throw new IllegalArgumentException(SERDE_FORMAT + " must be confluent or avro-binary, got '" + format + "'");
    }

    private static <T extends SpecificRecord> BiFunction<Map<String, ?>, Boolean, Serde<T>> avro(Class<T> type) {
        return (config, isKey) -> registryFree(config) ? new AvroBinarySerde<>(type)
                : AvroSerdes.specific(type, config, isKey);
    }
}
