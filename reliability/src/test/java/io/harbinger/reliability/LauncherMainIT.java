package io.harbinger.reliability;

import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's real main in a JVM of its own (exit code through System.exit, stderr as the user sees it, the
 * launcher's own logging configuration): bad input of several kinds gives one line and a non-zero exit. Among them
 * a malformed JSONL line replayed into a real broker, which needs Kafka up to get past the reachability check.
 */
class LauncherMainIT {

    @Test
    void badInputThroughTheRealMain(@TempDir Path dir) throws Exception {
        Path malformed = Files.writeString(dir.resolve("bad.jsonl"),
                "{\"type\":\"gomap\",\"host\":\"h\",\"ts_ns\":1,\"pid\":1,\"comm\":\"c\",\"map_addr\":1,"
                        + "\"go_version\":\"go1.19\",\"count\":1,\"log2_buckets\":0,\"overflow_buckets\":0}\n"
                        + "{\"type\":\"gomap\",\"pid\":\"x\"}\n");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "rules:\n  - name: [unclosed\n");
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.single())) {
            kafka.createHarbingerTopics();
            String registry = TestSchemaRegistry.shared().url();
            check(dir, 1, "error: replay stopped at " + malformed + ":2: ", "replay", "--input", malformed.toString(),
                    "-b", kafka.bootstrapServers(), "-r", registry);
            check(dir, 1, "error: topic no.such.topic does not exist", "tail", "no.such.topic", "--max", "1",
                    "-b", kafka.bootstrapServers(), "-r", registry);
        }
        check(dir, 2, "harbinger backtest: " + malformed + ":2: ", "backtest", "--input", malformed.toString(),
                "--out", dir.resolve("out").toString());
        check(dir, 2, "harbinger alerting: " + rules + ":", "alerting", "--rules", rules.toString());
        check(dir, 2, "harbinger collector: cannot read config " + dir.resolve("none.yaml") + ": no such file",
                "collector", "--config", dir.resolve("none.yaml").toString());
        check(dir, 2, "harbinger streams: --config " + dir.resolve("none.properties") + ": no such file",
                "streams", "--config", dir.resolve("none.properties").toString());
        check(dir, 2, "error: Unknown option: '--bogus'", "status", "--bogus");
    }

    static void check(Path dir, int code, String firstLine, String... args) throws Exception {
        Path log = dir.resolve("run-" + System.nanoTime() + ".log");
        // the launcher's own logging configuration (logback.xml in its jar), not this module's test one
        ChildJvm run = ChildJvm.harbinger(log, java.util.Map.of(), List.of("-Dlogback.configurationFile=logback.xml"),
                args);
        int exit = run.waitFor(120);
        String out = run.logText();
        List<String> lines = out.strip().lines().toList();
        System.out.printf("harbinger %s -> %d: %s%n", String.join(" ", args), exit, lines);
        assertFalse(CommandErrorsTest.TRACE.matcher(out).find(), "a stack trace:\n" + out);
        assertEquals(code, exit, out);
        assertTrue(!lines.isEmpty() && lines.get(0).startsWith(firstLine), "first line:\n" + out);
        assertTrue(lines.size() <= 2, "one line and at most a hint:\n" + out);
    }
}
