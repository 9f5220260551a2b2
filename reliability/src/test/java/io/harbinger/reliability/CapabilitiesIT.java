package io.harbinger.reliability;

import io.harbinger.jsonl.JsonlReader;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7, item 5 (capabilities): the real {@code harbinger record} (the launcher's main on its shipped classpath)
 * runs as user {@code nobody} with exactly the capabilities docs/collector.md lists (ambient, via setpriv), against
 * workloads run by root: syscall latency with CAP_BPF + CAP_PERFMON records every getppid of a known-count workload;
 * Go maps with CAP_SYS_ADMIN + CAP_SYS_PTRACE + CAP_DAC_READ_SEARCH added record the workload's map with its count
 * and B. With any one of them missing, record exits 1 with one line naming it.
 */
class CapabilitiesIT {
    static final List<String> SYSCALL_CAPS = List.of("bpf", "perfmon");
    static final List<String> GOMAP_CAPS = List.of("bpf", "perfmon", "sys_admin", "sys_ptrace", "dac_read_search");
    static final Path WORKLOADS = Path.of("../collector/src/test/workloads").toAbsolutePath().normalize();

    static Path home;

    /** The launcher's classpath and the workloads, copied where user nobody can read them. */
    @BeforeAll
    static void install() throws Exception {
        assertEquals("root", System.getProperty("user.name"), "these tests start the collector as nobody: run as root");
        home = Files.createTempDirectory("harbinger-caps");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path launcher = Path.of("../launcher/target").toAbsolutePath().normalize();
        Path lib = Files.createDirectories(home.resolve("lib"));
        try (Stream<Path> jars = Files.list(launcher.resolve("lib"))) {
            for (Path j : jars.toList()) {
                Files.copy(j, lib.resolve(j.getFileName()));
            }
        }
        try (Stream<Path> jars = Files.list(launcher)) {
            Path jar = jars.filter(p -> p.getFileName().toString().matches("launcher-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("launcher jar not built"));
            Files.copy(jar, home.resolve("launcher.jar"));
        }
        run(List.of("gcc", "-O2", "-static", "-o", home.resolve("hbwork_c").toString(),
                WORKLOADS.resolve("syscalls.c").toString()));
        run(List.of("go", "build", "-o", home.resolve("hbwork_go").toString(), WORKLOADS.resolve("gomap.go").toString()));
        run(List.of("chmod", "-R", "a+rX", home.toString()));
    }

    @AfterAll
    static void uninstall() throws Exception {
        if (home != null) {
            run(List.of("rm", "-rf", home.toString()));
        }
    }

    @Test
    void syscallLatencyWithCapBpfAndCapPerfmonOnly() throws Exception {
        Path out = home.resolve("syscalls.jsonl");
        Process rec = record(SYSCALL_CAPS, out, "--no-gomaps", "--comm", "hbwork_c");
        awaitFile(out, rec);
        Process w = new ProcessBuilder(home.resolve("hbwork_c").toString(), "5000", "0", "0", "0").inheritIO().start();
        assertEquals(0, w.waitFor());
        String err = finish(rec);
        long getppid = 0;
        for (SpecificRecord r : read(out)) {
            if (r instanceof SyscallEvent e && e.getPid() == w.pid() && e.getSyscall().equals("getppid")) {
                getppid++;
            }
        }
        System.out.printf("as nobody with %s: %d getppid of pid %d recorded%n", SYSCALL_CAPS, getppid, w.pid());
        assertEquals(0, rec.exitValue(), err);
        assertEquals(5000, getppid, "every getppid of the workload, exactly");
    }

    @Test
    void goMapsWithTheDocumentedCapabilities() throws Exception {
        Path out = home.resolve("gomaps.jsonl");
        Process rec = record(GOMAP_CAPS, out, "--comm", "hbwork_go");
        awaitFile(out, rec);
        Process w = new ProcessBuilder(home.resolve("hbwork_go").toString(), "100000", "0", "2s")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String ready = new BufferedReader(new InputStreamReader(w.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = Pattern.compile("ready addr=(\\d+) B=(\\d+) count=(\\d+)").matcher(String.valueOf(ready));
        assertTrue(m.find(), ready);
        Thread.sleep(2_000); // a few polls of the grown map
        w.getOutputStream().close();
        assertEquals(0, w.waitFor());
        String err = finish(rec);
        List<GoMapEvent> snaps = new ArrayList<>();
        for (SpecificRecord r : read(out)) {
            if (r instanceof GoMapEvent e && e.getPid() == w.pid() && e.getMapAddr() == Long.parseLong(m.group(1))) {
                snaps.add(e);
            }
        }
        System.out.printf("as nobody with %s: %d snapshots of the map, last %s%n", GOMAP_CAPS, snaps.size(),
                snaps.isEmpty() ? "-" : snaps.get(snaps.size() - 1));
        assertEquals(0, rec.exitValue(), err);
        assertFalse(snaps.isEmpty(), "the workload's map was recorded: " + err);
        GoMapEvent last = snaps.get(snaps.size() - 1);
        assertEquals(100_000, last.getCount());
        assertEquals(Integer.parseInt(m.group(2)), last.getLog2Buckets());
    }

    @Test
    void eachMissingCapabilityFailsWithOneLine() throws Exception {
        for (String missing : SYSCALL_CAPS) {
            assertOneLine(SYSCALL_CAPS, missing, List.of("--no-gomaps"), "not permitted to load eBPF");
        }
        for (String missing : List.of("sys_admin", "sys_ptrace", "dac_read_search")) {
            assertOneLine(GOMAP_CAPS, missing, List.of(), "not permitted to watch Go maps");
        }
    }

    private void assertOneLine(List<String> caps, String missing, List<String> args, String what) throws Exception {
        List<String> fewer = new ArrayList<>(caps);
        fewer.remove(missing);
        Path out = home.resolve("missing-" + missing + ".jsonl");
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--comm", "hbwork_none"));
        Process rec = record(fewer, out, all.toArray(String[]::new));
        String err = finish(rec);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        System.out.printf("without %s: exit %d, %s%n", missing, rec.exitValue(), lines);
        assertEquals(1, rec.exitValue(), err);
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).startsWith("harbinger record: " + what), lines.get(0));
        assertTrue(lines.get(0).endsWith("(missing CAP_" + missing.toUpperCase() + ")"), lines.get(0));
        assertFalse(Files.exists(out), "no output without the probes");
    }

    /** {@code harbinger record} as nobody with exactly {@code caps} (ambient, nothing else inheritable). */
    private static Process record(List<String> caps, Path out, String... args) throws IOException {
        String set = "-all," + String.join(",", caps.stream().map(c -> "+" + c).toList());
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "--inh-caps=" + set, "--ambient-caps=" + set,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
                "-cp", home.resolve("launcher.jar") + ":" + home.resolve("lib") + "/*",
                "io.harbinger.launcher.Harbinger", "record", "--seconds", "8", "--out", out.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(home.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void awaitFile(Path out, Process rec) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(out) && rec.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(out), "record did not start its probes");
    }

    /** Waits for record to end; returns its stderr without the log lines (timestamped). */
    private static String finish(Process rec) throws Exception {
        String err = new String(rec.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(rec.waitFor(60, TimeUnit.SECONDS), "record did not stop");
        return err.lines().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d(\\.\\d+)? (INFO|DEBUG) .*"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static List<SpecificRecord> read(Path out) throws IOException {
        List<SpecificRecord> all = new ArrayList<>();
        try (JsonlReader r = JsonlReader.open(out)) {
            while (r.hasNext()) {
                all.add(r.next());
            }
        }
        return all;
    }

    private static void run(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GOCACHE", Path.of("target/gocache").toAbsolutePath().toString());
        pb.environment().put("GO111MODULE", "off");
        pb.environment().putIfAbsent("HOME", Path.of("target").toAbsolutePath().toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + output);
        }
    }
}
