package io.harbinger.reliability;

import io.harbinger.launcher.Harbinger;
import io.harbinger.platform.ExitWithParent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code harbinger ARGS} - the launcher's real main - in a JVM of its own on this module's test classpath, output
 * to a log file. Wrapped in {@link ExitWithParent}, so it dies with the test JVM however that ends. {@link #kill()}
 * is a real crash: SIGKILL, no shutdown hook, no commit, no close.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildJvm harbinger(Path log, Map<String, String> env, List<String> jvmArgs, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx384m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(ExitWithParent.class.getName());
        cmd.add(Harbinger.class.getName());
        cmd.addAll(List.of(args));
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new ChildJvm(pb.start(), log);
    }

    static ChildJvm harbinger(Path log, String... args) throws IOException {
        return harbinger(log, Map.of(), List.of(), args);
    }

    /** This module's test classes and its whole test classpath (written by the build into target/). */
    static String classpath() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        return target.resolve("test-classes") + java.io.File.pathSeparator
                + Files.readString(target.resolve("test-classpath.txt")).trim();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, and wait for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("pid " + process.pid() + " survived SIGKILL");
        }
    }

    /** Waits for the exit code. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("harbinger did not exit within " + seconds + " s; log: " + logText());
        }
        return process.exitValue();
    }

    /** SIGTERM (an orderly stop through the shutdown hooks), then the exit code. */
    int terminate(long seconds) throws InterruptedException {
        process.destroy();
        return waitFor(seconds);
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
