package io.harbinger.launcher.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The record command end to end (real eBPF), and its one-line refusals. */
class RecordCommandIT {
    @TempDir
    Path dir;

    @Test
    void recordsASleepOfTheNamedProcess() throws Exception {
        Path out = dir.resolve("rec.jsonl");
        CompletableFuture<Integer> rc = CompletableFuture.supplyAsync(() -> new CommandLine(new RecordCommand())
                .execute("--seconds", "4", "--out", out.toString(), "--comm", "sleep"));
        // the file appears only once every probe is attached; then the workload runs
        for (int i = 0; i < 100 && !Files.exists(out); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(out), "recording file created once probes are attached");
        assertEquals(0, new ProcessBuilder("sleep", "0.2").start().waitFor());
        assertEquals(0, rc.get());
        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"comm\":\"sleep\"") && l.contains("\"syscall\":\"clock_nanosleep\"")),
                "a clock_nanosleep of sleep in " + lines.size() + " lines");
        assertTrue(lines.stream().allMatch(l -> l.contains("\"comm\":\"sleep\"")), "only the named process");
    }

    @Test
    void badFlagsGetOneLineAndNonZeroExit() {
        assertOneLine(2, "harbinger record: --seconds must be positive", "--seconds", "0", "--out", dir.resolve("x").toString());
        assertOneLine(2, "harbinger record: --out: directory /nonexistent/dir does not exist",
                "--seconds", "1", "--out", "/nonexistent/dir/x.jsonl");
        assertOneLine(2, "harbinger record: comm 'a-very-long-process-name' must be 1-15 bytes",
                "--seconds", "1", "--out", dir.resolve("x").toString(), "--comm", "a-very-long-process-name");
        assertFalse(Files.exists(dir.resolve("x")));
    }

    private static void assertOneLine(int code, String start, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        int rc;
        try {
            rc = new CommandLine(new RecordCommand()).execute(args);
        } finally {
            System.setErr(old);
        }
        String msg = err.toString().trim();
        assertEquals(code, rc, msg);
        assertTrue(msg.startsWith(start), msg);
        assertEquals(1, msg.lines().count(), msg);
    }
}
