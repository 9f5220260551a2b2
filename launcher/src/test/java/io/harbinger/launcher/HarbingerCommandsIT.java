package io.harbinger.launcher;

import io.harbinger.jsonl.JsonlWriter;
import io.harbinger.platform.Ports;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real commands, each in its own JVM on the classpath ./harbinger runs, against the real services they start:
 * up -> status -> replay -> tail -> down, with stdout, stderr and exit codes checked. Free ports and a throwaway
 * state directory, so it runs beside a developer's own `harbinger up`.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HarbingerCommandsIT {
    record Run(int code, String out, String err) {}

    @TempDir
    static Path dir;
    static Path stateDir;
    static final List<Long> pids = new ArrayList<>();
    static List<String> recordingLines;
    static Path recording;

    @BeforeAll
    static void writeRecording() throws IOException {
        stateDir = dir.resolve("state");
        recording = dir.resolve("rec.jsonl");
        StringWriter text = new StringWriter();
        try (JsonlWriter w = new JsonlWriter(text)) {
            for (int i = 0; i < 50; i++) {
                w.write(SyscallEvent.newBuilder().setHost("e2e").setTsNs(1_767_225_600_000_000_000L + i * 1_000_000L)
                        .setPid(7).setTid(7).setComm("app").setCgroupId(0L).setSyscallNr(0).setSyscall("read")
                        .setLatencyNs(100L * i).setRet(i % 5 == 0 ? -4 : 8).setSampleWeight(1).build());
            }
            for (int i = 0; i < 30; i++) {
                w.write(GoMapEvent.newBuilder().setHost("e2e").setTsNs(1_767_225_600_000_000_000L + i * 10_000_000_000L)
                        .setPid(9).setComm("svc").setMapAddr(824_634_769_408L).setGoVersion("go1.19.8")
                        .setCount(1000L * i).setLog2Buckets(4).setOverflowBuckets(i / 3).setHash0(42L).build());
            }
        }
        Files.writeString(recording, text.toString());
        recordingLines = List.of(text.toString().split("\n"));
    }

    @AfterAll
    static void down() throws Exception {
        harbinger("down");
    }

    @Test
    @Order(1)
    void upStartsKafkaAndTheRegistry() throws Exception {
        Run up = harbinger("up", "--broker-port", "" + Ports.pickFree(), "--controller-port", "" + Ports.pickFree(),
                "--registry-port", "" + Ports.pickFree(), "--registry-admin-port", "" + Ports.pickFree());
        System.out.print(up.out());
        assertEquals(0, up.code(), up.err());
        assertTrue(up.out().contains("kafka     started in "), up.out());
        assertTrue(up.out().contains("registry  started in "), up.out());
        assertTrue(up.out().contains("topics    created harbinger.syscall.events"), up.out());

        Run status = harbinger("status");
        assertEquals(0, status.code(), status.out() + status.err());
        Matcher m = Pattern.compile("RUNNING\\s+pid (\\d+)").matcher(status.out());
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        assertEquals(2, pids.size(), status.out());
    }

    @Test
    @Order(2)
    void replayThenTailGivesTheRecordingBack() throws Exception {
        Run replay = harbinger("replay", "--input", recording.toString(), "--speed", "max");
        assertEquals(0, replay.code(), replay.err());
        assertTrue(replay.out().startsWith("replayed 80 events (50 syscall, 30 gomap)"), replay.out());

        Run syscalls = harbinger("tail", "harbinger.syscall.events", "--from-beginning", "--max", "50");
        Run maps = harbinger("tail", "harbinger.gomap.events", "--from-beginning", "--max", "30");
        assertEquals(0, syscalls.code(), syscalls.err());
        assertEquals(0, maps.code(), maps.err());
        List<String> got = new ArrayList<>(List.of(syscalls.out().split("\n")));
        got.addAll(List.of(maps.out().split("\n")));
        assertEquals(recordingLines.stream().sorted().toList(), got.stream().sorted().toList());
    }

    /** The acceptance run on the shared sample (CI has ../shared beside the clone). */
    @Test
    @Order(3)
    void theGomapSampleComesBackFieldForField() throws Exception {
        // shared/ beside the clone (CI), else this machine kind's /work/shared, as the other sample tests
        Path beside = Path.of("").toAbsolutePath().getParent().resolveSibling("shared/samples");
        String samples = System.getenv().getOrDefault("HARBINGER_SAMPLES",
                Files.isDirectory(beside) ? beside.toString() : "/work/shared/samples");
        Path sample = Path.of(samples, "gomap.jsonl");
        Assumptions.assumeTrue(Files.isRegularFile(sample), "no " + sample);
        Run replay = harbinger("replay", "--input", sample.toString(), "--speed", "max");
        assertEquals(0, replay.code(), replay.err());
        List<String> expected = Files.readAllLines(sample).stream().filter(l -> !l.isBlank()).toList();
        Run tail = harbinger("tail", "harbinger.gomap.events", "--from-beginning", "--max", "" + (30 + expected.size()));
        assertEquals(0, tail.code(), tail.err());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> want = new ArrayList<>();
        for (String l : expected) {
            want.add(json.readTree(l));
        }
        List<com.fasterxml.jackson.databind.JsonNode> got = new ArrayList<>();
        for (String l : tail.out().split("\n")) {
            var node = json.readTree(l);
            if (!node.get("host").asText().equals("e2e")) { // the records of the previous test
                got.add(node);
            }
        }
        assertEquals(want.size(), got.size());
        java.util.Comparator<com.fasterxml.jackson.databind.JsonNode> order = java.util.Comparator
                .comparing((com.fasterxml.jackson.databind.JsonNode n) -> n.get("host").asText())
                .thenComparingLong(n -> n.get("pid").asLong()).thenComparingLong(n -> n.get("map_addr").asLong())
                .thenComparingLong(n -> n.get("ts_ns").asLong());
        assertEquals(want.stream().sorted(order).toList(), got.stream().sorted(order).toList());
    }

    @Test
    @Order(4)
    void badInputGetsOneLineAndANonZeroExit() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, recordingLines.get(0) + "\n{\"type\": \"gomap\", \"pid\": \"x\"}\n");
        Run replay = harbinger("replay", "--input", bad.toString());
        assertEquals(1, replay.code());
        assertTrue(replay.err().startsWith("error: replay stopped at " + bad + ":2: "), replay.err());
        assertEquals(1, replay.err().strip().lines().count(), replay.err());

        Run tail = harbinger("tail", "no.such.topic", "--max", "1");
        assertEquals(1, tail.code());
        assertTrue(tail.err().startsWith("error: topic no.such.topic does not exist"), tail.err());

        Run usage = harbinger("replay");
        assertEquals(2, usage.code());
        assertTrue(usage.err().startsWith("error: Missing required option: '--input=FILE'"), usage.err());
    }

    @Test
    @Order(5)
    void aTakenPortIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run up = harbinger("up", "--state-dir", dir.resolve("other").toString(),
                    "--broker-port", "" + taken.getLocalPort(), "--controller-port", "" + Ports.pickFree());
            assertEquals(1, up.code());
            assertTrue(up.err().startsWith("error: failed to start Kafka: port " + taken.getLocalPort() + " in use"), up.err());
        }
    }

    @Test
    @Order(6)
    void downStopsEverything() throws Exception {
        Run down = harbinger("down");
        assertEquals(0, down.code(), down.err());
        assertEquals("registry  stopped\nkafka     stopped\n", down.out());
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is still alive");
        }
        Run status = harbinger("status");
        assertEquals(3, status.code());
        assertTrue(status.out().contains("kafka     STOPPED"), status.out());
    }

    /** Runs {@code harbinger ARGS} as ./harbinger does: a JVM on the launcher's packaged classpath. */
    static Run harbinger(String... args) throws Exception {
        String classpath = System.getProperty("harbinger.launcher.classpath");
        assertTrue(classpath != null, "run through failsafe (it sets harbinger.launcher.classpath)");
        Path home = Path.of("").toAbsolutePath().getParent();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dharbinger.home=" + home, "-cp", classpath, Harbinger.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("HARBINGER_STATE_DIR", stateDir.toString());
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("harbinger " + String.join(" ", args) + " did not finish within 180 s");
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
