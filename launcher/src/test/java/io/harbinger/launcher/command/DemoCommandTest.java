package io.harbinger.launcher.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harbinger.launcher.Harbinger;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad input to {@code harbinger demo}: one line, exit 2, nothing started. */
class DemoCommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Harbinger.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badDurationIsOneLine() {
        Run r = run("demo", "--for", "soon");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("harbinger demo: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void nonPositiveDurationIsRefused() {
        Run r = run("demo", "--for", "0s");
        assertEquals(2, r.code());
        assertEquals("harbinger demo: --for must be a positive duration, e.g. 180s\n", r.err());
    }

    @Test
    void missingRecordingIsRefused() {
        Run r = run("demo", "--recording", "/nonexistent/rec.jsonl");
        assertEquals(2, r.code());
        assertEquals("harbinger demo: --recording /nonexistent/rec.jsonl: no such file\n", r.err());
    }

    @Test
    void unknownFlagIsABadCommandLine() {
        Run r = run("demo", "--fast");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--fast"), r.err());
    }

    @Test
    void helpNamesTheFlags() {
        Run r = run("demo", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--for") && r.out().contains("--replay"), r.out());
    }
}
