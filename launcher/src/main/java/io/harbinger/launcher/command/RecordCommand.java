package io.harbinger.launcher.command;

import io.harbinger.collector.CollectorStats;
import io.harbinger.collector.RecordConfig;
import io.harbinger.collector.RecordService;
import io.harbinger.collector.bpf.BpfException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code harbinger record}: real eBPF on this host into a JSONL file, no Kafka. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Run the collector with real eBPF on this host and write raw events as JSONL (no Kafka).",
                "The output file is created only once every probe is attached. Unsampled. Needs root "
                        + "(or CAP_BPF and CAP_PERFMON; Go maps also CAP_SYS_ADMIN, CAP_SYS_PTRACE, "
                        + "CAP_DAC_READ_SEARCH)."})
public final class RecordCommand implements Callable<Integer> {
    @Option(names = "--seconds", required = true, paramLabel = "N", description = "How long to record.")
    int seconds;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSONL file to write.")
    Path out;

    @Option(names = "--comm", paramLabel = "NAME",
            description = "Only these process names (repeatable; exact, at most 15 bytes): limits both syscall "
                    + "capture and Go-process discovery.")
    List<String> comms = new ArrayList<>();

    @Option(names = "--no-gomaps", description = "Syscall latency only: do not watch Go maps (which need "
            + "CAP_SYS_ADMIN, CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH when not root).")
    boolean noGoMaps;

    @Override
    public Integer call() {
        RecordConfig config;
        try {
            if (seconds <= 0) {
                throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
            }
            Path dir = out.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw new IllegalArgumentException("--out: directory " + dir + " does not exist or is not writable");
            }
            config = RecordConfig.of(seconds, out, new LinkedHashSet<>(comms), !noGoMaps);
            config.settings(); // validates --comm
        } catch (IllegalArgumentException e) {
            System.err.println("harbinger record: " + e.getMessage());
            return 2;
        }
        try {
            CollectorStats s = RecordService.run(config);
            System.err.printf("harbinger record: wrote %d events (%d Go-map snapshots) to %s; kernel drops %d, "
                            + "user-space drops %d%n", s.delivered(), s.goMapSnapshots(), out,
                    s.kernelDrops() + s.goMapKernelDrops(), s.dropped());
            return s.kernelDrops() + s.goMapKernelDrops() + s.dropped() == 0 ? 0 : 3;
        } catch (BpfException | IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("harbinger record: " + e.getMessage());
            return 1;
        }
    }
}
