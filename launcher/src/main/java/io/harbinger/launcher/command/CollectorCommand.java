package io.harbinger.launcher.command;

import io.harbinger.collector.CollectorConfig;
import io.harbinger.collector.CollectorService;
import io.harbinger.collector.bpf.BpfException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code harbinger collector}: the daemon, real eBPF on this host, publishing to Kafka. */
@Command(name = "collector", mixinStandardHelpOptions = true,
        description = {"The collector daemon: real eBPF on this host, publishing syscall and Go-map events to Kafka.",
                "Stops cleanly on SIGTERM/SIGINT (probes detached, queued events published). Metrics at "
                        + "http://127.0.0.1:9464/metrics by default. See docs/collector.md."})
public final class CollectorCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config (every key optional; defaults in docs/collector.md).")
    Path config;

    @Override
    public Integer call() {
        CollectorConfig c;
        try {
            c = CollectorConfig.load(config, System.getenv());
        } catch (CollectorConfig.ConfigException e) {
            System.err.println("harbinger collector: " + e.getMessage());
            return 2;
        }
        try {
            CollectorService.runUntilStopped(c);
            return 0;
        } catch (BpfException | CollectorConfig.ConfigException | KafkaException | IllegalStateException e) {
            System.err.println("harbinger collector: " + e.getMessage());
            return 1;
        }
    }
}
