package io.harbinger.launcher.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's Go workload ({@code demo/leaky/main.go}): built with the host's Go toolchain (Debian's Go 1.19) at
 * demo start, then run as a child whose stdin stays a pipe to this JVM, so it exits when the demo does, however the
 * demo ends.
 */
final class LeakyService implements AutoCloseable {
    private final Process process;
    private final long startedAtMs;

    private LeakyService(Process process, long startedAtMs) {
        this.process = process;
        this.startedAtMs = startedAtMs;
    }

    /** Why the Go service cannot be built here, or null when it can. */
    static String unavailableReason(Path home) {
        if (!Files.isRegularFile(home.resolve("demo/leaky/main.go"))) {
            return "the demo's Go source is missing (" + home.resolve("demo/leaky/main.go") + ")";
        }
        if (goBinary() == null) {
            return "no Go toolchain (install the golang-go package)";
        }
        return null;
    }

    static Path goBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "go");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Path debian = Path.of("/usr/lib/go/bin/go");
        return Files.isExecutable(debian) ? debian : null;
    }

    /** Builds {@code demo/leaky} into {@code outDir/leaky}; returns the binary. */
    static Path build(Path home, Path outDir) throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        Path binary = outDir.resolve(DemoSettings.LEAKY_COMM);
        Path log = outDir.resolve("go-build.log");
        ProcessBuilder pb = new ProcessBuilder(goBinary().toString(), "build", "-o", binary.toString(), ".")
                .directory(home.resolve("demo/leaky").toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("GOPROXY", "off"); // no module downloads: the service uses the standard library only
        if (!pb.environment().containsKey("HOME") && !pb.environment().containsKey("GOCACHE")) {
            pb.environment().put("GOCACHE", outDir.resolve("go-cache").toString()); // go needs a build cache
        }
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("go build of demo/leaky timed out (log: " + log + ")");
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IOException("go build of demo/leaky failed: "
                    + (lines.isEmpty() ? "exit " + p.exitValue() : lines.get(lines.size() - 1)) + " (log: " + log + ")");
        }
        return binary;
    }

    static LeakyService start(Path binary, Path workDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(binary.toString(),
                "-rate", String.valueOf((long) DemoSettings.LEAK_PER_SECOND),
                "-churn", String.valueOf(DemoSettings.LEAK_CHURN),
                "-max", String.valueOf(DemoSettings.LEAK_MAX),
                "-dir", workDir.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("leaky.out").toFile()));
        // stdin stays a pipe: the service exits when it closes (this JVM gone, even by SIGKILL)
        long t0 = System.currentTimeMillis();
        return new LeakyService(pb.start(), t0);
    }

    long pid() {
        return process.pid();
    }

    long startedAtMs() {
        return startedAtMs;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM
        try {
            if (!process.waitFor(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
