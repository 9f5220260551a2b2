package io.harbinger.platform.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka's own producer benchmark ({@code org.apache.kafka.tools.ProducerPerformance}, artifact {@code kafka-tools})
 * in a JVM of its own on this JVM's classpath: the baseline our benchmarks put beside their own figure.
 */
public final class KafkaProducerPerformance {
    /** The summary line ("N records sent, X records/sec (Y MB/sec), ...") and its records/s. */
    public record Result(String summary, double recordsPerSecond) {}

    private KafkaProducerPerformance() {}

    /** Sends {@code records} records of {@code recordSize} bytes to {@code topic} as fast as possible. */
    public static Result run(String bootstrap, String topic, long records, int recordSize, List<String> producerProps)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap));
        cmd.addAll(producerProps);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.contains("records sent")) {
                    last = line;
                }
            }
        }
        p.waitFor();
        if (last == null) {
            throw new IllegalStateException("ProducerPerformance printed no result (exit code " + p.exitValue() + ")");
        }
        return new Result(last, Double.parseDouble(last.split(",")[1].trim().split(" ")[0]));
    }
}
