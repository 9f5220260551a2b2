package io.harbinger.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harbinger.collector.gomap.GoMapWatcher;
import io.harbinger.collector.publish.JsonlSink;
import io.harbinger.collector.syscall.SyscallProbeOptions;
import io.harbinger.collector.syscall.SyscallProbeOptions.Attach;
import io.harbinger.collector.syscall.SyscallProbeOptions.StartStorage;
import io.harbinger.jsonl.JsonlReader;
import io.harbinger.jsonl.JsonlWriter;
import io.harbinger.schema.SyscallEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real eBPF: a C workload with known syscall counts is recorded exactly, in every probe variant. */
class SyscallRecordIT {
    static final int GETPPID = 20_000;
    static final int SLEEPS = 10;
    static final long SLEEP_NS = 50_000_000L;
    static final int ENOENT_OPENS = 500;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} + {1} storage")
    @CsvSource({"TP_BTF, TASK", "RAW_TP, TASK", "TP_BTF, HASH", "RAW_TP, HASH"})
    void recordsKnownWorkloadExactly(Attach attach, StartStorage storage) throws Exception {
        Path workload = Workloads.syscalls();
        Path out = dir.resolve("rec.jsonl");
        CollectorSettings d = CollectorSettings.defaults();
        CollectorSettings s = new CollectorSettings("it-host", true,
                SyscallProbeOptions.defaults().withComms(Set.of("hbwork_c")).withVariant(attach, storage),
                false, GoMapWatcher.Options.defaults(), d.queueCapacity(), d.mapQueueCapacity(), d.ringPollMs());

        CollectorStats stats;
        try (Collector c = Collector.start(s, () -> sink(out))) {
            Process p = new ProcessBuilder(workload.toString(), "" + GETPPID, "" + SLEEPS, "" + SLEEP_NS,
                    "" + ENOENT_OPENS).inheritIO().start();
            assertEquals(0, p.waitFor());
            c.close();
            stats = c.stats();
        }

        List<SyscallEvent> events = read(out);
        long getppid = events.stream().filter(e -> e.getSyscall().equals("getppid")).count();
        List<Long> sleeps = events.stream().filter(e -> e.getSyscall().equals("clock_nanosleep"))
                .map(SyscallEvent::getLatencyNs).sorted().toList();
        long enoent = events.stream().filter(e -> e.getSyscall().equals("openat") && e.getRet() == -2).count();

        assertEquals(GETPPID, getppid, "getppid count");
        assertEquals(SLEEPS, sleeps.size(), "clock_nanosleep count");
        assertEquals(ENOENT_OPENS, enoent, "openat ENOENT count");
        long median = sleeps.get(sleeps.size() / 2);
        assertTrue(median >= SLEEP_NS && median <= SLEEP_NS * 13 / 10,
                "median sleep latency " + median + " ns not within 0-30% above " + SLEEP_NS);

        SyscallEvent any = events.get(0);
        assertEquals("it-host", any.getHost());
        assertEquals("hbwork_c", any.getComm());
        assertEquals(1, any.getSampleWeight());
        long now = System.currentTimeMillis() * 1_000_000L;
        assertTrue(Math.abs(now - any.getTsNs()) < 120_000_000_000L, "ts_ns is wall clock: " + any.getTsNs());
        assertTrue(any.getCgroupId() > 0, "cgroup id");

        assertEquals(0, stats.kernelDrops());
        assertEquals(0, stats.dropped());
        assertEquals(stats.produced(), stats.delivered());
        assertEquals(events.size(), stats.delivered());
    }

    static JsonlSink sink(Path out) {
        try {
            return new JsonlSink(JsonlWriter.create(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<SyscallEvent> read(Path file) throws Exception {
        List<SyscallEvent> out = new ArrayList<>();
        try (JsonlReader r = JsonlReader.open(file)) {
            while (r.hasNext()) {
                SpecificRecord rec = r.next();
                if (rec instanceof SyscallEvent e) {
                    out.add(e);
                }
            }
        }
        return out;
    }
}
