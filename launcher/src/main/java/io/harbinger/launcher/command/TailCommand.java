package io.harbinger.launcher.command;

import io.harbinger.platform.tail.TailConfig;
import io.harbinger.platform.tail.TopicTailer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Decode a topic's Avro records through the registry and print them as JSON lines "
                + "(raw events in the JSONL recording format).")
public final class TailCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TOPIC", description = "e.g. harbinger.gomap.events")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the earliest records instead of new ones.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "Stop when no record arrived for this long (default: wait for ever).")
    Long idleTimeoutSeconds;

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TailConfig config = new TailConfig(topic, fromBeginning,
                max == null ? OptionalLong.empty() : OptionalLong.of(max),
                Optional.ofNullable(idleTimeoutSeconds).map(Duration::ofSeconds), connection.clientConfig());
        TopicTailer tailer = new TopicTailer(config);
        PrintWriter err = spec.commandLine().getErr();
        TopicTailer.Result r = tailer.run(spec.commandLine().getOut(), err);
        if (r.skipped() > 0) {
            err.printf("%d records printed, %d could not be decoded (listed above)%n", r.printed(), r.skipped());
            err.flush();
            return 1;
        }
        return 0;
    }
}
