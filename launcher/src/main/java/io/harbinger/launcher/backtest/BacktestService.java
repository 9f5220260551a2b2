package io.harbinger.launcher.backtest;

import io.harbinger.alerting.AlertTopology;
import io.harbinger.alerting.AlertingConfig;
import io.harbinger.alerting.notify.AlertJson;
import io.harbinger.alerting.rule.Metric;
import io.harbinger.alerting.rule.Rule;
import io.harbinger.alerting.rule.RuleSet;
import io.harbinger.schema.Alert;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.serde.AvroBinarySerde;
import io.harbinger.streams.ProcessorTopology;
import io.harbinger.streams.backtest.Backtest;
import io.harbinger.streams.config.ProcessorConfig;
import io.harbinger.streams.json.JsonViews;
import io.harbinger.topics.TopicSpecs;
import org.apache.kafka.streams.StreamsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * "What would have happened": the streams processor's topology and the alerting topology, composed on one builder
 * exactly as the services run them, over a JSONL recording in event time. Writes latency.jsonl, maptrends.jsonl
 * and alerts.jsonl (CONTRACTS.md "Backtest outputs").
 *
 * @param grace how late an event may be in the file and still count; a recording's order is not arrival order,
 *              so the default is wider than the live service's
 */
public record BacktestService(Path input, Path outDir, RuleSet rules, Duration grace, boolean strict) {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(60);

    public Backtest.Summary run() throws IOException {
        Files.createDirectories(outDir);
        Path stateDir = Files.createTempDirectory("harbinger-backtest-");
        try {
            Properties props = Backtest.driverProperties(stateDir);
            Map<String, Object> kafka = Backtest.asMap(props);
            ProcessorConfig processor = ProcessorConfig.from(kafka).withGrace(grace).withCountThreshold(countThreshold(rules));
            AlertingConfig alerting = AlertingConfig.defaults(rules).withKafka(kafka);

            StreamsBuilder builder = new StreamsBuilder();
            ProcessorTopology.addTo(builder, processor);
            AlertTopology.addTo(builder, alerting);
            return Backtest.run(builder.build(), props, input, List.of(
                            new Backtest.Output<>(TopicSpecs.SYSCALL_LATENCY.name(),
                                    new AvroBinarySerde<>(SyscallLatencyWindow.class), outDir.resolve("latency.jsonl"),
                                    JsonViews::latencyWindow),
                            new Backtest.Output<>(TopicSpecs.GOMAP_TRENDS.name(), new AvroBinarySerde<>(MapTrend.class),
                                    outDir.resolve("maptrends.jsonl"), JsonViews::mapTrend),
                            new Backtest.Output<>(TopicSpecs.ALERTS.name(), new AvroBinarySerde<>(Alert.class),
                                    outDir.resolve("alerts.jsonl"), AlertJson::toJson)),
                    processor.window().plus(processor.grace()), strict);
        } finally {
            deleteTree(stateDir);
        }
    }

    /** The threshold MapTrend.eta_ms refers to: the first gomap.count rule's, else the contract's default. */
    static double countThreshold(RuleSet rules) {
        return rules.rules().stream().filter(r -> r.metric() == Metric.GOMAP_COUNT).map(Rule::threshold)
                .findFirst().orElse(1_000_000.0);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
