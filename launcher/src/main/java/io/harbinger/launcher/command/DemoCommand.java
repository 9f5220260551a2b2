package io.harbinger.launcher.command;

import io.harbinger.alerting.rule.Durations;
import io.harbinger.launcher.demo.DemoConfig;
import io.harbinger.launcher.demo.DemoRunner;
import io.harbinger.platform.HarbingerHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code harbinger demo}: the whole pipeline on this host, live. See docs/demo.md. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on this host and show it live: embedded Kafka and schema registry, "
                + "streams processor with the dashboard, alerting, the eBPF collector, and a small Go service whose "
                + "map leaks. Without root or eBPF it replays a bundled recording through the same pipeline.",
                "With --for it runs that long, prints a summary and exits 0 only when the leak was warned about "
                        + "before it crossed its threshold. See docs/demo.md."})
public final class DemoCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--for", paramLabel = "DURATION",
            description = "Run this long once the pipeline is live (e.g. 180s, 5m), then print the summary and exit.")
    String runFor;

    @Option(names = "--replay", description = "Replay the recording even where eBPF works.")
    boolean replay;

    @Option(names = "--recording", paramLabel = "FILE",
            description = "JSONL recording to replay instead of the bundled one (implies --replay).")
    Path recording;

    @Option(names = "--replay-speed", paramLabel = "X", defaultValue = "1",
            description = "Event-time speed of a replay (default: ${DEFAULT-VALUE}, real time).")
    double replaySpeed;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the demo keeps its state, wiped at start (default: <checkout>/.harbinger/demo).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        DemoConfig config;
        try {
            Duration d = runFor == null ? null : Durations.parse(runFor);
            if (recording != null && !Files.isRegularFile(recording)) {
                throw new IllegalArgumentException("--recording " + recording + ": no such file");
            }
            Path home = HarbingerHome.get();
            config = new DemoConfig(home, stateDir != null ? stateDir : home.resolve(".harbinger/demo"), d,
                    replay || recording != null, recording, replaySpeed);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("harbinger demo: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        return new DemoRunner(config, System.out, System.err).run();
    }
}
