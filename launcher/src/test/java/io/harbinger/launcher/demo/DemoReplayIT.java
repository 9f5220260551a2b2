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
 * CAP_BPF), must say why in one line, replay the bundled recording (here twenty times faster) through the real broker,
 * registry, streams processor and alerting it starts, print the summary with the warning's lead time, exit 0 — and
 * leave no process behind.
 */
class DemoReplayIT {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @TempDir
    Path dir;

    private static boolean readableByNobody(Path dir) throws Exception {
        Process p = new ProcessBuilder(SETPRIV.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                "test", "-r", dir.toString(), "-a", "-x", dir.toString()).start();
        return p.waitFor() == 0;
    }

    /** Copies the launcher, Kafka and registry classpaths into the (world-readable) temp dir; returns the classpath. */
    private String copyForNobody(String classpath, Path home, List<String> jvmArgs) throws Exception {
        Path copy = dir.resolve("classpath");
        StringBuilder cp = new StringBuilder();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path src = Path.of(entry.endsWith("/*") ? entry.substring(0, entry.length() - 2) : entry);
            Path dst = copy.resolve("launcher-" + src.getFileName());
            copyTree(src, dst);
            cp.append(cp.length() == 0 ? "" : java.io.File.pathSeparator).append(dst).append(entry.endsWith("/*") ? "/*" : "");
        }
        for (String runtime : List.of("kafka-broker", "schema-registry")) {
            Path dst = copy.resolve(runtime);
            copyTree(home.resolve("runtime/" + runtime + "/target/lib"), dst);
            jvmArgs.add("-Dharbinger.runtime." + runtime + ".lib=" + dst);
        }
        try (var s = Files.walk(copy)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        System.out.println("DemoReplayIT: copied the classpaths to " + copy + " (nobody cannot read the checkout)");
        return cp.toString();
    }

    private static void copyTree(Path src, Path dst) throws Exception {
        if (Files.isRegularFile(src)) {
            Files.createDirectories(dst.getParent());
            Files.copy(src, dst);
            return;
        }
        try (var s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** The Ctrl-C path: a signal (SIGTERM here, SIGINT in a terminal: the same shutdown hook) stops everything. */
    @Test
    void aSignalStopsEverythingItStarted() throws Exception {
        String classpath = System.getProperty("harbinger.launcher.classpath");
        assertTrue(classpath != null, "run through failsafe (it sets harbinger.launcher.classpath)");
        Path home = Path.of("").toAbsolutePath().getParent();
        Path state = dir.resolve("signalled");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Dharbinger.home=" + home, "-cp", classpath, Harbinger.class.getName(),
                "demo", "--replay", "--replay-speed", "20", "--state-dir", state.toString())
                .redirectOutput(dir.resolve("sig-out.txt").toFile())
                .redirectError(dir.resolve("sig-err.txt").toFile());
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.readString(dir.resolve("sig-err.txt")).contains("harbinger demo: live.")) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, "demo not live: " + Files.readString(dir.resolve("sig-err.txt")));
            Thread.sleep(200);
        }
        Thread.sleep(2_000); // the pipeline at work
        List<ProcessHandle> children = p.descendants().toList();
        assertTrue(children.size() >= 2, "the broker and registry JVMs run as children: " + children.size());
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "demo did not stop within 120 s of SIGTERM");
        String out = Files.readString(dir.resolve("sig-out.txt"));
        String err = Files.readString(dir.resolve("sig-err.txt"));
        System.out.println("DemoReplayIT (signal): exit " + p.exitValue() + "\n--- stderr\n" + err + "--- stdout\n" + out);
        assertEquals(143, p.exitValue(), "128 + SIGTERM");
        assertTrue(out.contains("Summary after"), "the summary is printed on the way out: " + out);
        assertTrue(err.contains("harbinger demo: stopped everything it started"), err);
        Thread.sleep(500);
        for (ProcessHandle c : children) {
            assertTrue(!c.isAlive(), "left behind: " + c.pid() + " " + c.info().commandLine().orElse(""));
        }
        assertEquals(List.of(), ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains(state.toString())).orElse(false))
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList());
    }

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
        List<String> jvmArgs = new ArrayList<>(List.of("-Dharbinger.home=" + home));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            cmd.addAll(List.of(SETPRIV.toString(), "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"));
            if (!readableByNobody(home.resolve("launcher/target/lib")) || Boolean.getBoolean("harbinger.it.copy-classpath")) {
                // a checkout under a private directory (CI's clone may be): give nobody a copy of the classpaths
                classpath = copyForNobody(classpath, home, jvmArgs);
            }
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", classpath, Harbinger.class.getName(),
                "demo", "--for", "35s", "--replay-speed", "20", "--state-dir", state.toString()));
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
