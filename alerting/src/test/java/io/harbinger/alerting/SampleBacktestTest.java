package io.harbinger.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harbinger.alerting.notify.AlertJson;
import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.schema.Alert;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.streams.ProcessorTopology;
import io.harbinger.streams.backtest.Backtest;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.topics.Topics;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The processor's topologies and the alerting topology composed on one StreamsBuilder (as {@code harbinger
 * backtest} does) over the shared gomap sample with the default rules; alerts.jsonl lands in
 * target/backtest/ for {@code eval_forecast.py}. Checked here: the ground truth's crossings are warned before
 * they happen, the series that never cross are never warned, and each episode is one WARNING (then CRITICAL).
 */
class SampleBacktestTest {
    /** shared/ sits beside the repository (CI's fresh clone) or at /work/shared (developer worktrees). */
    static final Path SAMPLES = java.util.stream.Stream.of(System.getProperty("harbinger.samples"),
                    "../../shared/samples", "/work/shared/samples")
            .filter(java.util.Objects::nonNull).map(Path::of).filter(Files::isDirectory).findFirst()
            .orElseThrow(() -> new IllegalStateException("shared/samples not found beside the repository"));
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void defaultRulesOnTheGomapSample() throws IOException {
        Path dir = Path.of("target", "backtest");
        Files.createDirectories(dir);
        Path stateDir = Files.createTempDirectory("alerting-backtest");
        Properties props = Backtest.driverProperties(stateDir);
        Map<String, Object> kafka = Backtest.asMap(props);
        StreamsBuilder builder = new StreamsBuilder();
        ProcessorTopology.addTo(builder, ProcessorConfig.from(kafka));
        AlertTopology.addTo(builder, AlertingConfig.defaults(RuleFile.defaults()).withKafka(kafka));
        Path alerts = dir.resolve("alerts.jsonl");
        Backtest.run(builder.build(), props, SAMPLES.resolve("gomap.jsonl"),
                List.of(new Backtest.Output<>(Topics.ALERTS, new AvroBinarySerde<>(Alert.class), alerts,
                        AlertJson::toJson)), Duration.ofMinutes(1), true);

        JsonNode truth = JSON.readTree(SAMPLES.resolve("gomap.truth.json").toFile());
        Map<String, List<JsonNode>> byMap = new LinkedHashMap<>();
        for (String line : Files.readAllLines(alerts)) {
            JsonNode a = JSON.readTree(line);
            byMap.computeIfAbsent(a.get("host").asText() + "/" + a.get("pid").asLong() + "/"
                    + a.get("map_addr").asLong(), k -> new ArrayList<>()).add(a);
        }
        for (JsonNode s : truth.get("series")) {
            String k = s.get("host").asText() + "/" + s.get("pid").asLong() + "/" + s.get("map_addr").asLong();
            List<JsonNode> got = byMap.getOrDefault(k, List.of());
            StringBuilder seq = new StringBuilder();
            got.forEach(a -> seq.append(a.get("severity").asText()).append('@').append(a.get("fired_at_ms")).append(' '));
            System.out.println("backtest " + s.get("name").asText() + ": " + seq);
            if (s.get("crosses_at_ms").isNull()) {
                assertTrue(got.isEmpty(), s.get("name").asText() + " never crosses, but: " + seq);
            } else {
                long cross = s.get("crosses_at_ms").asLong();
                assertTrue(!got.isEmpty() && got.get(0).get("severity").asText().equals("WARNING"),
                        s.get("name").asText() + ": " + seq);
                long lead = cross - got.get(0).get("fired_at_ms").asLong();
                System.out.println("backtest " + s.get("name").asText() + " lead " + lead / 60_000.0 + " min");
                assertTrue(lead > 0, s.get("name").asText() + " warned after crossing: " + seq);
                assertTrue(got.stream().noneMatch(a -> a.get("severity").asText().equals("RESOLVED")
                        && a.get("fired_at_ms").asLong() < cross), s.get("name").asText() + " resolved before crossing: "
                        + seq);
            }
        }
    }
}
