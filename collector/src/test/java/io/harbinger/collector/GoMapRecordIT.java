package io.harbinger.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harbinger.collector.gomap.GoBinary;
import io.harbinger.collector.gomap.GoMapWatcher;
import io.harbinger.collector.syscall.SyscallProbeOptions;
import io.harbinger.jsonl.JsonlReader;
import io.harbinger.schema.GoMapEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real eBPF uprobes on a Debian Go 1.19 program: a map grown to N keys, M deleted, is recorded with N-M and B. */
class GoMapRecordIT {
    static final int N = 100_000;
    static final int M = 30_000;

    @TempDir
    Path dir;

    @Test
    void recordsFinalCountAndBucketsOfAGrownThenShrunkMap() throws Exception {
        Path workload = Workloads.goMap();
        Path out = dir.resolve("maps.jsonl");
        CollectorSettings d = CollectorSettings.defaults();
        CollectorSettings s = new CollectorSettings("it-host", false, SyscallProbeOptions.defaults(), true,
                new GoMapWatcher.Options(Set.of("hbwork_go"), Duration.ofMillis(100), Duration.ofMillis(200), 1000),
                d.queueCapacity(), d.mapQueueCapacity(), d.ringPollMs());

        long addr;
        int b;
        int pid;
        CollectorStats stats;
        try (Collector c = Collector.start(s, () -> SyscallRecordIT.sink(out))) {
            Process p = new ProcessBuilder(workload.toString(), "" + N, "" + M, "1s")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            pid = (int) p.pid();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
            String line = r.readLine();
            assertNotNull(line, "workload printed nothing");
            Matcher m = Pattern.compile("ready addr=(\\d+) B=(\\d+) count=(\\d+)").matcher(line);
            assertTrue(m.find(), line);
            addr = Long.parseLong(m.group(1));
            b = Integer.parseInt(m.group(2));
            assertEquals(N - M, Integer.parseInt(m.group(3)));
            Thread.sleep(500); // a few poll periods after the deletes
            c.close();
            stats = c.stats();
            p.getOutputStream().close();
            assertEquals(0, p.waitFor());
        }

        List<GoMapEvent> events = new ArrayList<>();
        try (JsonlReader r = JsonlReader.open(out)) {
            while (r.hasNext()) {
                SpecificRecord rec = r.next();
                if (rec instanceof GoMapEvent e && e.getPid() == pid && e.getMapAddr() == addr) {
                    events.add(e);
                }
            }
        }
        assertFalse(events.isEmpty(), "no snapshot of the workload's map at " + addr);
        GoMapEvent last = events.get(events.size() - 1);
        assertTrue(Math.abs(last.getCount() - (N - M)) <= 1, "final count " + last.getCount());
        assertEquals(b, last.getLog2Buckets(), "B");
        assertEquals(14, last.getLog2Buckets(), "B of 100000 keys at load factor 6.5");
        assertEquals("hbwork_go", last.getComm());
        assertTrue(last.getGoVersion().startsWith("go1.19"), last.getGoVersion());
        assertNotNull(last.getHash0());
        assertTrue(stats.attachFailures() == 0);
        assertEquals(stats.produced(), stats.delivered());
    }

    @Test
    void refusesAStrippedGoBinaryWithOneLine() throws Exception {
        Path stripped = Workloads.goMapStripped();
        GoBinary.NotProbeableException e = org.junit.jupiter.api.Assertions.assertThrows(
                GoBinary.NotProbeableException.class, () -> GoBinary.inspect(stripped));
        assertEquals(GoBinary.NotProbeableException.Reason.STRIPPED, e.reason());
        assertTrue(e.getMessage().contains("stripped"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void refusesANonGoBinary() throws Exception {
        GoBinary.NotProbeableException e = org.junit.jupiter.api.Assertions.assertThrows(
                GoBinary.NotProbeableException.class, () -> GoBinary.inspect(Workloads.syscalls()));
        assertEquals(GoBinary.NotProbeableException.Reason.NOT_GO, e.reason());
    }
}
