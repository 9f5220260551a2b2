package io.harbinger.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.DirectoryStream;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Probes leave the kernel on every way the collector can end: SIGTERM and SIGINT (orderly close from the
 * shutdown hook) and SIGKILL (the kernel drops the links with the process's fds). The program ids are taken from
 * the collector's /proc/PID/fdinfo while it runs; afterwards bpftool must not find any of them.
 */
class ProbeLifecycleIT {

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "KILL"})
    void probesAreGoneAfterSignal(String signal) throws Exception {
        String cp = "target/test-classes:target/classes:" + Files.readString(Path.of("target/test-classpath.txt")).trim();
        // env resets SIGINT/SIGTERM to their defaults: a JVM started under a background shell job inherits SIGINT as
        // ignored and then installs no handler (systemd and terminals start it with the defaults)
        Process p = new ProcessBuilder("env", "--default-signal=INT,TERM",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                "io.harbinger.collector.bench.CollectorBench", "syscalls", "TP_BTF", "TASK")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        assertEquals("ready", out.readLine());
        long pid = p.pid();
        Set<Integer> ids = programIdsOf(pid);
        assertTrue(ids.size() >= 2, "enter and exit programs held by " + pid + ": " + ids);

        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "collector exits on SIG" + signal);
        // the kernel frees programs after an RCU grace period: allow it a moment
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int id : ids) {
            while (programExists(id) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(!programExists(id), "program " + id + " still loaded 10 s after SIG" + signal);
        }
    }

    /** Ids of the BPF programs a process holds fds of (fdinfo of a program fd has "prog_id:"). */
    static Set<Integer> programIdsOf(long pid) throws Exception {
        Set<Integer> ids = new TreeSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
            for (Path fd : fds) {
                try {
                    for (String l : Files.readAllLines(fd)) {
                        if (l.startsWith("prog_id:")) {
                            ids.add(Integer.parseInt(l.substring(8).trim()));
                        }
                    }
                } catch (java.io.IOException e) {
                    // fd closed meanwhile
                }
            }
        }
        return ids;
    }

    static boolean programExists(int id) throws Exception {
        Process b = new ProcessBuilder("bpftool", "prog", "show", "id", Integer.toString(id))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return b.waitFor() == 0;
    }
}
