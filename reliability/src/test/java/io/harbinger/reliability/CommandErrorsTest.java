package io.harbinger.reliability;

import io.harbinger.launcher.Harbinger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7, item 4 (commands): every command of the launcher, given bad flags, missing files, malformed JSONL,
 * invalid rules YAML or an invalid config, answers with one clear line naming the problem and a non-zero exit -
 * never a stack trace. Runs the real root command ({@link Harbinger#commandLine()}, with its error handlers)
 * in this JVM with stdout/stderr captured; {@code LauncherMainIT} runs a few of them through the real main in a
 * JVM of its own.
 */
class CommandErrorsTest {
    @TempDir
    static Path dir;

    record Case(String name, int exit, String expect, String[] args) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Run(int code, String out, String err) {}

    /** A stack frame as Throwable.printStackTrace prints it, or an uncaught exception's header. */
    static final Pattern TRACE = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(|^Exception in thread|^Caused by: ");

    static Path malformed, missing, badYaml, badRules, badCollector, unknownCollectorKey, badStreams, badUnicode,
            badAlerting, fileNotDir;

    /** Library logging as the launcher configures it (its logback.xml): Kafka's own chatter only at ERROR. */
    @BeforeAll
    static void launcherLogLevels() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
    }

    @org.junit.jupiter.api.AfterAll
    static void testLogLevels() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    @BeforeAll
    static void files() throws Exception {
        missing = dir.resolve("missing.file");
        malformed = Files.writeString(dir.resolve("malformed.jsonl"),
                "{\"type\":\"gomap\",\"host\":\"h\",\"ts_ns\":1,\"pid\":1,\"comm\":\"c\",\"map_addr\":1,"
                        + "\"go_version\":\"go1.19\",\"count\":1,\"log2_buckets\":0,\"overflow_buckets\":0}\n"
                        + "{\"type\":\"syscall\",\"host\":\"h\",\"ts_ns\":\"soon\"}\n");
        badYaml = Files.writeString(dir.resolve("syntax.yaml"), "rules:\n  - name: [unclosed\n    metric: gomap.count\n");
        badRules = Files.writeString(dir.resolve("rules.yaml"),
                "rules:\n  - name: a\n    metric: gomap.count\n    threshold: -1\n    warn_within: 5m\n");
        badCollector = Files.writeString(dir.resolve("collector.yaml"), "syscalls:\n  sample_every: [1, 2\n");
        unknownCollectorKey = Files.writeString(dir.resolve("collector-key.yaml"), "syscals:\n  enabled: true\n");
        badStreams = Files.writeString(dir.resolve("streams.properties"), "harbinger.latency.window.ms=-5\n");
        badUnicode = Files.writeString(dir.resolve("unicode.properties"), "a=\\uZZZZ\n");
        badAlerting = Files.writeString(dir.resolve("alerting.properties"), "alerting.http.port=seventy\n");
        fileNotDir = Files.writeString(dir.resolve("plain-file"), "x");
    }

    static Stream<Case> cases() {
        return Stream.of(
                c("root: unknown command", 2, "Unmatched argument", "launch"),
                c("root: unknown option", 2, "Unknown option", "--colour"),
                c("up: port not a number", 2, "--broker-port", "up", "--broker-port", "ninety"),
                c("up: unknown option", 2, "Unknown option", "up", "--brokers", "3"),
                c("down: unknown option", 2, "Unknown option", "down", "--force"),
                c("status: stray argument", 2, "Unmatched argument", "status", "kafka"),
                c("replay: no --input", 2, "--input", "replay"),
                c("replay: missing file", 1, missing.toString(), "replay", "--input", missing.toString(),
                        "-b", "127.0.0.1:1", "-r", "http://127.0.0.1:1"),
                c("replay: bad speed", 1, "speed", "replay", "--input", malformed.toString(), "--speed", "fast",
                        "-b", "127.0.0.1:1", "-r", "http://127.0.0.1:1"),
                c("tail: no topic", 2, "TOPIC", "tail"),
                c("tail: bad --max", 2, "--max", "tail", "harbinger.alerts", "--max", "lots"),
                c("record: no --out", 2, "--out", "record", "--seconds", "1"),
                c("record: seconds not a number", 2, "--seconds", "record", "--seconds", "ten", "--out", "x.jsonl"),
                c("record: zero seconds", 2, "--seconds must be positive", "record", "--seconds", "0", "--out",
                        dir.resolve("r.jsonl").toString()),
                c("collector: missing config", 2, missing.toString(), "collector", "--config", missing.toString()),
                c("collector: invalid YAML", 2, badCollector.toString(), "collector", "--config", badCollector.toString()),
                c("collector: unknown key", 2, "syscals", "collector", "--config", unknownCollectorKey.toString()),
                c("streams: missing config", 2, missing.toString(), "streams", "--config", missing.toString()),
                c("streams: invalid value", 2, "harbinger.latency.window.ms", "streams", "--config", badStreams.toString()),
                c("streams: malformed properties", 2, "\\uxxxx", "streams", "--config", badUnicode.toString()),
                c("streams: port not a number", 2, "--http-port", "streams", "--http-port", "eighty"),
                c("alerting: missing rules", 2, missing.toString(), "alerting", "--rules", missing.toString()),
                c("alerting: rules YAML syntax", 2, badYaml + ":", "alerting", "--rules", badYaml.toString()),
                c("alerting: invalid rule", 2, badRules + ":4", "alerting", "--rules", badRules.toString()),
                c("alerting: invalid config", 2, "alerting.http.port", "alerting", "--config", badAlerting.toString()),
                c("alerting: missing config", 2, missing.toString(), "alerting", "--config", missing.toString()),
                c("backtest: missing input", 2, missing.toString(), "backtest", "--input", missing.toString(), "--out",
                        dir.resolve("o1").toString()),
                c("backtest: malformed JSONL", 2, malformed + ":2", "backtest", "--input", malformed.toString(), "--out",
                        dir.resolve("o2").toString()),
                c("backtest: rules YAML syntax", 2, badYaml + ":", "backtest", "--input", malformed.toString(), "--out",
                        dir.resolve("o3").toString(), "--rules", badYaml.toString()),
                c("backtest: out is a file", 2, fileNotDir + ": exists and is not a directory", "backtest", "--input", malformed.toString(), "--out",
                        fileNotDir.toString(), "--skip-malformed"),
                c("backtest: bad grace", 2, "--grace", "backtest", "--input", malformed.toString(), "--out", "o",
                        "--grace", "a-minute"),
                c("demo: bad duration", 2, "'a-while' is not a duration", "demo", "--for", "a-while"),
                c("demo: missing recording", 2, missing.toString(), "demo", "--replay", "--for", "1s", "--recording",
                        missing.toString()),
                c("help: unknown command", 2, "Unknown subcommand", "help", "launch"));
    }

    static Case c(String name, int exit, String expect, String... args) {
        return new Case(name, exit, expect, args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneClearLineAndANonZeroExit(Case c) {
        Run r = run(c.args());
        String all = r.err() + r.out();
        assertFalse(TRACE.matcher(all).find(), c + ": a stack trace:\n" + all);
        assertNotEquals(0, r.code(), c + ": exit 0\n" + all);
        assertEquals(c.exit(), r.code(), c + ": exit code\n" + all);
        List<String> lines = r.err().strip().lines().toList();
        assertFalse(lines.isEmpty(), c + ": nothing on stderr");
        assertTrue(lines.get(0).contains(c.expect()), c + ": the first line does not name '" + c.expect() + "':\n" + all);
        // one line with the problem; picocli and the error reporter may add one hint ("try: ... --help")
        assertTrue(lines.size() <= 2, c + ": more than one line and a hint:\n" + r.err());
        assertTrue(lines.size() == 1 || lines.get(1).startsWith("try:") || lines.get(1).startsWith("(run with --verbose")
                || lines.get(1).startsWith("Usage:") || lines.get(1).startsWith("Did you mean"), c + ": second line:\n" + r.err());
    }

    /** The real root command with its error handlers; System.out/err captured too (some commands print there). */
    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        int code;
        try {
            CommandLine cl = Harbinger.commandLine();
            cl.setOut(new PrintWriter(o, true));
            cl.setErr(new PrintWriter(e, true));
            code = cl.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
