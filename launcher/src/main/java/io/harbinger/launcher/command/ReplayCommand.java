package io.harbinger.launcher.command;

import io.harbinger.platform.replay.RecordingReplayer;
import io.harbinger.platform.replay.ReplayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Publish a JSONL recording to the raw topics (Avro through the registry), keeping each "
                + "event's timestamp as the record timestamp.")
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "JSONL recording.")
    Path input;

    @Option(names = "--speed", defaultValue = "max", paramLabel = "X|max",
            description = "max (default): as fast as possible; X: X times real time by event time (e.g. 10).")
    String speed;

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ReplayConfig config = new ReplayConfig(input, ReplayConfig.parseSpeed(speed), connection.clientConfig());
        RecordingReplayer.Result r = new RecordingReplayer(config).run();
        spec.commandLine().getOut().printf("replayed %d events (%d syscall, %d gomap) in %.2f s, %.0f events/s%n",
                r.events(), r.syscallEvents(), r.gomapEvents(), r.elapsed().toMillis() / 1000.0, r.eventsPerSecond());
        return 0;
    }
}
