package io.harbinger.platform;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A service running in a JVM of its own: started with {@code java -cp CLASSPATH MAIN}, output appended to a log
 * file, pid kept in a pid file, stopped with SIGTERM and, after a grace period, SIGKILL.
 *
 * @param process the child when this JVM started it and is its parent; empty when found through the pid file
 */
public record JvmProcess(String name, ProcessHandle handle, Optional<Process> process, Path logFile) {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** What to start, and where its log and pid files go. */
    public record Spec(String name, String mainClass, String classpath, List<String> jvmArgs, List<String> args,
                       Path workDir, Path logFile, Path pidFile, boolean detached) {}

    /**
     * Starts the service. Detached: a session of its own ({@code setsid}), stdin from /dev/null, so it outlives this
     * JVM and a Ctrl-C in the terminal. Attached: wrapped in {@link ExitWithParent}, so it dies with this JVM.
     */
    public static JvmProcess start(Spec spec) {
        List<String> cmd = new ArrayList<>();
        if (spec.detached() && Files.isExecutable(SETSID)) {
            cmd.add(SETSID.toString()); // a child of the JVM is no group leader: setsid execs in place, same pid
        }
        cmd.add(JAVA);
        cmd.addAll(spec.jvmArgs());
        cmd.add("-cp");
        if (spec.detached()) {
            cmd.add(spec.classpath());
            cmd.add(spec.mainClass());
        } else {
            cmd.add(spec.classpath() + File.pathSeparator + ownLocation());
            cmd.add(ExitWithParent.class.getName());
            cmd.add(spec.mainClass());
        }
        cmd.addAll(spec.args());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(spec.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
        if (spec.detached()) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        try {
            Files.createDirectories(spec.workDir());
            appendLine(spec.logFile(), "=== " + Instant.now() + " starting " + spec.name() + ": " + String.join(" ", cmd));
            Process p = pb.start();
            Files.writeString(spec.pidFile(), p.pid() + "\n");
            return new JvmProcess(spec.name(), p.toHandle(), Optional.of(p), spec.logFile());
        } catch (IOException e) {
            throw new PlatformException("failed to start " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    /** Runs a tool to completion in its own JVM (e.g. Kafka's StorageTool), output appended to the log file. */
    public static int runToCompletion(Spec spec, Duration timeout) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.addAll(spec.jvmArgs());
        cmd.add("-cp");
        cmd.add(spec.classpath());
        cmd.add(spec.mainClass());
        cmd.addAll(spec.args());
        try {
            Files.createDirectories(spec.workDir());
            appendLine(spec.logFile(), "=== " + Instant.now() + " running: " + String.join(" ", cmd));
            Process p = new ProcessBuilder(cmd).directory(spec.workDir().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new PlatformException("failed to run " + spec.name() + ": no exit within " + timeout.toSeconds() + " s");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new PlatformException("failed to run " + spec.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while running " + spec.name());
        }
    }

    /**
     * The live process named in {@code pidFile} whose command line contains {@code marker}; a stale pid file
     * (process gone, or the pid reused by something else) is removed.
     */
    public static Optional<JvmProcess> find(String name, Path pidFile, String marker, Path logFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        Optional<ProcessHandle> handle;
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false));
        } catch (NumberFormatException | IOException e) {
            handle = Optional.empty();
        }
        if (handle.isEmpty()) {
            deleteQuietly(pidFile);
            return Optional.empty();
        }
        return Optional.of(new JvmProcess(name, handle.get(), Optional.empty(), logFile));
    }

    public long pid() {
        return handle.pid();
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** The exit code when this JVM is the parent and the child has exited. */
    public Optional<Integer> exitCode() {
        return process.filter(p -> !p.isAlive()).map(Process::exitValue);
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true when it stopped within the grace period. */
    public boolean stop(Duration grace) {
        if (!handle.isAlive()) {
            return true;
        }
        handle.destroy();
        if (awaitExit(grace)) {
            return true;
        }
        handle.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
        return false;
    }

    private boolean awaitExit(Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    /** ": <the line that explains it> (log: FILE)" - the tail of a one-line start failure message. */
    public static String failureHint(Path logFile, List<String> patterns) {
        String reason = lastErrorLine(logFile, patterns)
                .map(l -> ": " + (l.length() > 200 ? l.substring(0, 200) + "..." : l)).orElse("");
        return reason + " (log: " + logFile + ")";
    }

    /** Stops the process and removes its pid file. */
    public void stopAndRemove(Path pidFile, Duration grace) {
        stop(grace);
        deleteQuietly(pidFile);
    }

    /** The last lines of the log that look like the reason for a failure, for one-line error messages. */
    public static Optional<String> lastErrorLine(Path logFile, List<String> patterns) {
        List<String> lines = tail(logFile, 400);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            for (String pattern : patterns) {
                if (line.contains(pattern)) {
                    return Optional.of(line.strip());
                }
            }
        }
        return Optional.empty();
    }

    /** The last {@code n} lines of a log file, read from its end (logs can be large). */
    public static List<String> tail(Path file, int n) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            int size = (int) Math.min(len, 256 * 1024);
            byte[] buf = new byte[size];
            raf.seek(len - size);
            raf.readFully(buf);
            List<String> lines = List.of(new String(buf, StandardCharsets.UTF_8).split("\n"));
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void appendLine(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing to do: a leftover pid file is recognised as stale next time
        }
    }

    /** Where {@link ExitWithParent} is loaded from (this module's jar or classes directory). */
    private static String ownLocation() {
        try {
            return Path.of(ExitWithParent.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
