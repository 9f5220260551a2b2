package io.harbinger.launcher.command;

import io.harbinger.alerting.rule.InvalidRuleException;
import io.harbinger.alerting.rule.RuleFile;
import io.harbinger.alerting.rule.RuleSet;
import io.harbinger.jsonl.JsonlFormatException;
import io.harbinger.launcher.backtest.BacktestService;
import io.harbinger.streams.backtest.Backtest;
import io.harbinger.streams.forecast.MapGrowthModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code harbinger backtest}: the real topologies and alert logic over a recording, offline, in event time. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Run the streams processor's topology and the alert logic over a JSONL recording in event "
                + "time, offline (no Kafka, no registry).",
                "Writes DIR/latency.jsonl, DIR/maptrends.jsonl and DIR/alerts.jsonl."})
public final class BacktestCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSONL recording (raw events).")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
    Path out;

    @Option(names = "--rules", paramLabel = "FILE", description = "Alert rules YAML (default: the default rules).")
    Path rules;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "60",
            description = "How late (event time) an event may appear in the file and still count (default: ${DEFAULT-VALUE}); "
                    + "later ones are dropped, counted and reported.")
    long graceSeconds;

    @Option(names = "--skip-malformed",
            description = "Count malformed lines and go on (default: stop at the first, naming its line).")
    boolean skipMalformed;

    @Override
    public Integer call() {
        try {
            if (!Files.isRegularFile(input)) {
                throw new IllegalArgumentException("--input " + input + (Files.isDirectory(input)
                        ? ": is a directory, not a recording" : ": no such file"));
            }
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + ": exists and is not a directory");
            }
            if (graceSeconds < 0) {
                throw new IllegalArgumentException("--grace must be >= 0");
            }
            RuleSet ruleSet = rules == null ? RuleFile.defaults() : RuleFile.load(rules);
            long start = System.nanoTime();
            Backtest.Summary s = new BacktestService(input, out, ruleSet, Duration.ofSeconds(graceSeconds),
                    !skipMalformed).run();
            System.err.printf("harbinger backtest: %d events (%d syscall, %d gomap%s) in %.1f s -> %s: %s%n",
                    s.events(), s.syscallEvents(), s.gomapEvents(),
                    s.malformedLines() > 0 ? ", " + s.malformedLines() + " malformed lines skipped" : "",
                    (System.nanoTime() - start) / 1e9, out, s.linesWritten().entrySet().stream()
                            .map(e -> e.getKey().getFileName() + "=" + e.getValue()).toList());
            if (s.lateSyscallEvents() > 0 || s.lateMapSnapshots() > 0) {
                // the results are what the service would have computed, but say what they leave out
                System.err.printf("harbinger backtest: dropped as late: %d syscall events (their window had closed: "
                                + "more than --grace %d s behind the newest event before them; a larger --grace keeps "
                                + "them), %d Go map snapshots (older than their map's newest by more than %d s)%n",
                        s.lateSyscallEvents(), graceSeconds, s.lateMapSnapshots(),
                        MapGrowthModel.Config.defaults().lateToleranceMs() / 1000);
            }
            return 0;
        } catch (JsonlFormatException | InvalidRuleException | IllegalArgumentException e) {
            System.err.println("harbinger backtest: " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            System.err.println("harbinger backtest: " + e.getFile() + ": no such file");
            return 2;
        } catch (IOException e) {
            System.err.println("harbinger backtest: " + e.getMessage());
            return 1;
        }
    }
}
