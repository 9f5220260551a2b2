package io.harbinger.collector.bench;

import io.harbinger.collector.Collector;
import io.harbinger.collector.CollectorSettings;
import io.harbinger.collector.CollectorStats;
import io.harbinger.collector.gomap.GoMapWatcher;
import io.harbinger.collector.publish.DeliveryCounters;
import io.harbinger.collector.publish.EventSink;
import io.harbinger.collector.syscall.SyscallProbeOptions;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import java.time.Duration;
import java.util.Set;

/**
 * Driver for bench/collector/*.sh: runs the collector with a counting sink until stdin closes, printing "ready"
 * once every probe is attached and the final counters as one JSON line at the end.
 * <pre>
 *   CollectorBench syscalls TP_BTF|RAW_TP TASK|HASH [BATCH]   full capture, every process
 *   CollectorBench gomaps COMM                          Go-map watching of one process name
 * </pre>
 */
public final class CollectorBench {
    /** Counts and discards; the pump still builds every Avro record, as it would for Kafka. */
    static final class CountingSink implements EventSink {
        private final DeliveryCounters counters = new DeliveryCounters();
        long checksum;

        @Override
        public void syscall(SyscallEvent e) {
            checksum += e.getLatencyNs();
            counters.delivered();
        }

        @Override
        public void goMap(GoMapEvent e) {
            checksum += e.getCount();
            counters.delivered();
        }

        @Override
        public void flush() {}

        @Override
        public DeliveryCounters counters() {
            return counters;
        }

        @Override
        public void close() {}
    }

    public static void main(String[] args) throws Exception {
        CollectorSettings d = CollectorSettings.defaults();
        CollectorSettings s = switch (args[0]) {
            case "syscalls" -> new CollectorSettings("bench", true, SyscallProbeOptions.defaults().withVariant(
                    SyscallProbeOptions.Attach.valueOf(args[1]), SyscallProbeOptions.StartStorage.valueOf(args[2]))
                    .withBatch(args.length > 3 && !args[3].isEmpty() ? Integer.parseInt(args[3])
                            : SyscallProbeOptions.DEFAULT_BATCH, SyscallProbeOptions.DEFAULT_BATCH_FLUSH_NS),
                    false, GoMapWatcher.Options.defaults(), 1 << 20, d.mapQueueCapacity(), d.ringPollMs());
            case "gomaps" -> new CollectorSettings("bench", false, SyscallProbeOptions.defaults(), true,
                    new GoMapWatcher.Options(Set.of(args[1]), Duration.ofSeconds(1), Duration.ofMillis(200), 10_000),
                    d.queueCapacity(), d.mapQueueCapacity(), d.ringPollMs());
            default -> throw new IllegalArgumentException("mode: syscalls | gomaps");
        };
        CollectorStats st;
        long growHits;
        try (Collector c = Collector.start(s, CountingSink::new)) {
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for EOF
            }
            c.close();
            st = c.stats();
            growHits = c.goMapGrowHits();
        }
        System.out.printf("{\"submitted\":%d,\"kernel_drops\":%d,\"produced\":%d,\"delivered\":%d,"
                        + "\"userspace_drops\":%d,\"go_snapshots\":%d,\"maps_tracked\":%d,\"grow_hits\":%d}%n",
                st.submitted(), st.kernelDrops() + st.goMapKernelDrops(), st.produced(), st.delivered(), st.dropped(),
                st.goMapSnapshots(), st.mapsTracked(), growHits);
    }
}
