package io.harbinger.reliability;

import io.harbinger.alerting.notify.AlertJson;
import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.launcher.backtest.BacktestService;
import io.harbinger.schema.Alert;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.streams.json.JsonViews;
import io.harbinger.topics.TopicSpec;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The pipeline's results as JSON lines (CONTRACTS.md's backtest format), sorted, so two runs compare with
 * {@code assertEquals}: closed latency windows, map trends, alerts. A duplicate shows up as an extra line, a loss as
 * a missing one.
 */
record Outputs(List<String> latency, List<String> trends, List<String> alerts) {

    /** What the offline backtest of the same input gives: processor and alerting over the recording in event time. */
    static Outputs backtest(Workload w, Path dir, Path rules, Duration grace) throws IOException {
        Path input = w.writeJsonl(dir.resolve("input.jsonl"));
        new BacktestService(input, dir, RuleFile.load(rules), grace, true).run();
        return new Outputs(sortedLines(dir.resolve("latency.jsonl")), sortedLines(dir.resolve("maptrends.jsonl")),
                sortedLines(dir.resolve("alerts.jsonl")));
    }

    /**
     * Reads the three output topics from the beginning with read_committed (what incident tooling sees under
     * exactly-once) until the expected number of records arrived on each, then {@code quiet} longer, so that
     * duplicates arriving late are caught too.
     */
    static Outputs live(Map<String, Object> client, Outputs expected, Duration timeout, Duration quiet) {
        List<String> latency = read(client, TopicSpecs.SYSCALL_LATENCY, JsonViews::latencyWindow,
                expected.latency().size(), timeout, quiet);
        List<String> trends = read(client, TopicSpecs.GOMAP_TRENDS, JsonViews::mapTrend, expected.trends().size(),
                timeout, quiet);
        List<String> alerts = read(client, TopicSpecs.ALERTS, AlertJson::toJson, expected.alerts().size(),
                timeout, quiet);
        return new Outputs(latency, trends, alerts);
    }

    static <K, V> List<String> read(Map<String, Object> client, TopicSpec<K, V> topic,
                                    Function<V, com.fasterxml.jackson.databind.node.ObjectNode> toJson,
                                    int expected, Duration timeout, Duration quiet) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Deserializer<V> values = topic.valueSerde(client).deserializer();
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        try {
                            out.add(toJson.apply(values.deserialize(topic.name(), r.value())).toString());
                        } catch (org.apache.kafka.common.errors.SerializationException e) {
                            // a poison record (PoisonRecordsIT writes them): not a result
                        }
                    }
                }
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + quiet.toNanos();
                }
            }
        }
        out.sort(null);
        return out;
    }

    static List<String> sortedLines(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            if (!l.isBlank()) {
                lines.add(JsonViews.JSON.readTree(l).toString());
            }
        }
        lines.sort(null);
        return lines;
    }

    /** Only the results about {@code host} (other producers share the topics). */
    Outputs forHost(String host) {
        String h = "\"host\":\"" + host + "\"";
        return new Outputs(latency.stream().filter(l -> l.contains(h)).toList(),
                trends.stream().filter(l -> l.contains(h)).toList(), alerts.stream().filter(l -> l.contains(h)).toList());
    }

    /** Sum of the weighted counts of the closed windows. */
    long windowedEvents() {
        long n = 0;
        for (String l : latency) {
            try {
                n += JsonViews.JSON.readTree(l).get("count").asLong();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return n;
    }

    /** Alert lines as "severity dedup_key" in the order of the list (for readable failure messages). */
    List<String> alertSummary() {
        List<String> s = new ArrayList<>();
        for (String l : alerts) {
            try {
                var n = JsonViews.JSON.readTree(l);
                s.add(n.get("severity").asText() + " " + n.get("rule").asText() + " @" + n.get("fired_at_ms").asLong());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return s;
    }
}
