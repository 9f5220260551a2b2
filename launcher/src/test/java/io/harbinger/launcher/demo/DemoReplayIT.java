package io.harbinger.launcher.demo;

import io.harbinger.launcher.Harbinger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code harbinger demo} without eBPF, end to end: the real command in its own JVM, run as user {@code nobody} (no
 * CAP_BPF), must say why in one line, replay the bundled recording (here ten times faster) through the real broker,
 * registry, streams processor and alerting it starts, print the summary with the warning's lead time, exit 0 — and
 * leave no process behind.
 */
class DemoReplayIT {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @TempDir
    Path dir;

    @Test
    void withoutEbpfTheBundledRecordingIsWarnedAboutBeforeItCrosses() throws Exception {
        String classpath = System.getProperty("harbinger.launcher.classpath");
        assertTrue(classpath != null, "run through failsafe (it sets harbinger.launcher.classpath)");
        assertTrue(Files.isExecutable(SETPRIV), "setpriv (util-linux) runs the demo unprivileged");
        Path home = Path.of("").toAbsolutePath().getParent();
        Path state = dir.resolve("demo");
        Files.createDirectories(state);
        for (Path p : List.of(dir, state)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        List<String> cmd = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            cmd.addAll(List.of(SETPRIV.toString(), "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"));
        }
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-Dharbinger.home=" + home,
                "-cp", classpath, Harbinger.class.getName(),
                "demo", "--for", "30s", "--replay-speed", "10", "--state-dir", state.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("HOME", dir.toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "demo did not finish within 240 s");
        String out = Files.readString(dir.resolve("out.txt"));
        String err = Files.readString(dir.resolve("err.txt"));
        System.out.println("DemoReplayIT: exit " + p.exitValue() + " after " + (System.nanoTime() - t0) / 1_000_000
                + " ms\n--- stderr\n" + err + "--- stdout\n" + out);

        assertEquals(0, p.exitValue(), err + out);
        String firstLine = err.lines().findFirst().orElse("");
        if (root) {
            assertTrue(firstLine.startsWith("harbinger demo: not permitted to load eBPF: run as root or grant CAP_BPF"),
                    firstLine);
        }
        assertTrue(firstLine.endsWith(": replaying the bundled recording through the same pipeline instead"), firstLine);
        assertTrue(err.contains("replaying the bundled recording (31"), err);
        assertTrue(out.contains("Summary after"), out);
        assertTrue(out.contains("result     PASS: warned "), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("  lead time  ") && l.contains("WARNING at t+")), out);
        assertTrue(out.contains("crossing   the leaking map reached 1,500,000 entries"), out);

        // nothing left: no JVM of this demo (broker and registry name its state directory on their command line)
        Thread.sleep(500);
        List<String> left = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains(state.toString())).orElse(false))
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList();
        assertEquals(List.of(), left);
    }
}
