package io.harbinger.launcher.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command's contract: one clear line and a non-zero exit on bad input; --check validates and exits 0. */
class AlertingCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new AlertingCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void invalidRulesGiveFileLineReason() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "rules:\n  - name: a\n    metric: gomap.size\n    threshold: 1\n    warn_within: 5m\n");
        Run r = run("--rules", rules.toString());
        assertEquals(2, r.code());
        assertEquals("harbinger alerting: " + rules + ":3: rule 'a': unknown metric 'gomap.size' (one of gomap.count, "
                + "gomap.load_factor, gomap.overflow_ratio, syscall.p99_ns, syscall.error_rate)\n", r.err());
    }

    @Test
    void missingFilesAndBadKeys() throws Exception {
        Run r = run("--rules", dir.resolve("nope.yaml").toString());
        assertEquals(2, r.code());
        assertEquals("harbinger alerting: " + dir.resolve("nope.yaml") + ":0: no such file\n", r.err());

        Path conf = dir.resolve("alerting.properties");
        Files.writeString(conf, "alerting.http.prot=9000\n");
        r = run("--config", conf.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("harbinger alerting: " + conf + ": unknown key 'alerting.http.prot'"), r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void checkPrintsTheDefaultRule() {
        Run r = run("--check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gomap-growth: gomap.count threshold 1000000.0, warn within 30m, critical within 5m"),
                r.out());
    }

    @Test
    void badFlag() {
        Run r = run("--rulez", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("Unknown option") && r.err().contains("--rulez"), r.err());
    }
}
