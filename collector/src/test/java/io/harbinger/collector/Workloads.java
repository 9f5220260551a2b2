package io.harbinger.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds the test workloads in src/test/workloads with the host's gcc and Debian's go, once per run. */
final class Workloads {
    private static final Path SRC = Path.of("src/test/workloads").toAbsolutePath();
    private static final Path OUT = Path.of("target/workloads").toAbsolutePath();

    private Workloads() {}

    /** Static C workload, named hbwork_c (its comm). */
    static synchronized Path syscalls() throws IOException, InterruptedException {
        Path bin = OUT.resolve("hbwork_c");
        if (!Files.exists(bin)) {
            Files.createDirectories(OUT);
            run(List.of("gcc", "-O2", "-static", "-o", bin.toString(), SRC.resolve("syscalls.c").toString()), OUT);
        }
        return bin;
    }

    /** Go map workload, named hbwork_go, with symbols (not stripped). */
    static synchronized Path goMap() throws IOException, InterruptedException {
        return goBuild("hbwork_go", List.of());
    }

    /** The same program stripped of its symbol table (-ldflags=-s). */
    static synchronized Path goMapStripped() throws IOException, InterruptedException {
        return goBuild("hbwork_go_strip", List.of("-ldflags=-s -w"));
    }

    /** Go workload creating many live maps, each grown once, named hbwork_gomaps; can exec /bin/sleep. */
    static synchronized Path goManyMaps() throws IOException, InterruptedException {
        return goBuild("hbwork_gomaps", List.of(), "gomaps.go");
    }

    private static Path goBuild(String name, List<String> flags) throws IOException, InterruptedException {
        return goBuild(name, flags, "gomap.go");
    }

    private static Path goBuild(String name, List<String> flags, String source) throws IOException,
            InterruptedException {
        Path bin = OUT.resolve(name);
        if (!Files.exists(bin)) {
            Files.createDirectories(OUT);
            List<String> cmd = new java.util.ArrayList<>(List.of("go", "build", "-o", bin.toString()));
            cmd.addAll(flags);
            cmd.add(SRC.resolve(source).toString());
            run(cmd, OUT);
        }
        return bin;
    }

    private static void run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GOCACHE", OUT.resolve("gocache").toString());
        pb.environment().put("GO111MODULE", "off");
        pb.environment().putIfAbsent("HOME", OUT.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("workload build failed: " + String.join(" ", cmd) + "\n" + output);
        }
    }
}
