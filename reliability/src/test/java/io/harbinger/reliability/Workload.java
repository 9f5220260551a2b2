package io.harbinger.reliability;

import io.harbinger.collector.enrich.SyscallTable;
import io.harbinger.jsonl.JsonlWriter;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic input for the fault tests, with alerts in it: 12 syscall series over 12 one-minute windows (one
 * series' P99 jumps over its rule's threshold for four windows, another's error rate for three), and two Go maps
 * over two hours of event time (one leaks past 1,000,000 entries, one stays flat), the syscall windows being the last
 * 12 minutes of those two hours. The same events are written as
 * JSONL for the backtest (the expected outputs) and published through the collector's real publishing path.
 *
 * <p>Syscall events sit half a millisecond into their millisecond, so the collector's boot-clock → wall-clock
 * conversion (re-sampled every 10 s, drifting by nanoseconds) never moves one across a window boundary.
 */
final class Workload {
    static final String HOST = "rel-host";
    static final long BASE_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a window boundary
    /** The syscall windows are the last 12 minutes of the two hours of map snapshots. */
    static final long SYSCALL_BASE_MS = BASE_MS + 108 * 60_000L;
    static final int WINDOWS = 12;
    static final int PER_KEY_PER_WINDOW = 100;
    static final List<String> COMMS = List.of("api", "db", "cache");
    static final List<String> SYSCALLS = List.of("read", "write", "openat", "futex");
    static final int GOMAP_SNAPSHOTS = 721; // every 10 s for 2 h

    /** Rules whose alerts the workload triggers (and the default gomap rule). */
    static final String RULES = """
            rules:
              - name: gomap-growth
                metric: gomap.count
                threshold: 1000000
                warn_within: 30m
                critical_within: 5m
              - name: db-read-p99
                metric: syscall.p99_ns
                threshold: 2000000
                warn_within: 5m
                critical_within: 1m
                matchers: ['comm="db"', 'syscall="read"']
                resolve_after: 2m
              - name: open-errors
                metric: syscall.error_rate
                threshold: 0.1
                warn_within: 5m
                matchers: ['syscall="openat"']
                resolve_after: 2m
            """;

    /** One event as the collector sees it: a syscall record from the ring buffer, or a Go-map snapshot. */
    record Event(SyscallEvent syscall, GoMapEvent gomap) {
        long tsNs() {
            return syscall != null ? syscall.getTsNs() : gomap.getTsNs();
        }
    }

    final List<SyscallEvent> syscalls = new ArrayList<>();
    final List<GoMapEvent> gomaps = new ArrayList<>();
    /** Both, in the order they are published: event time. */
    final List<Event> publishOrder = new ArrayList<>();

    Workload() {
        SyscallTable table = SyscallTable.forHost();
        for (int w = 0; w < WINDOWS; w++) {
            for (int i = 0; i < PER_KEY_PER_WINDOW; i++) {
                long tsNs = (SYSCALL_BASE_MS + w * 60_000L + i * 600L) * 1_000_000L + 500_000L;
                int k = 0;
                for (String comm : COMMS) {
                    for (String sc : SYSCALLS) {
                        long latency = 1_000L + 300L * k + (i * 37 % 97) * 40L;
                        long ret = sc.equals("read") || sc.equals("write") ? 512 : 0;
                        if (comm.equals("db") && sc.equals("read") && w >= 4 && w <= 7 && i % 50 == 0) {
                            latency = 5_000_000L; // 2% slow: P99 over 2 ms for four windows
                        }
                        if (comm.equals("api") && sc.equals("openat") && w >= 2 && w <= 4 && i % 5 == 0) {
                            ret = -2; // 20% ENOENT for three windows
                        }
                        syscalls.add(new SyscallEvent(HOST, tsNs, 4000 + k, 4000 + k, comm, 77L, table.number(sc), sc,
                                latency, ret, 1));
                        k++;
                    }
                }
            }
        }
        for (int s = 0; s < GOMAP_SNAPSHOTS; s++) {
            long tsNs = (BASE_MS + s * 10_000L) * 1_000_000L;
            long leaking = 200_000L + 1_667L * s; // ~10k a minute: 1,000,000 after ~80 min
            long flat = 50_000L + (s * 7_919L) % 1_000L;
            gomaps.add(snapshot(tsNs, 0xc000010000L, leaking));
            gomaps.add(snapshot(tsNs, 0xc000020000L, flat));
        }
        // event-time order across both kinds (stable: snapshots first on a tie), as a host would publish them
        int g = 0;
        for (SyscallEvent e : syscalls) {
            while (g < gomaps.size() && gomaps.get(g).getTsNs() <= e.getTsNs()) {
                publishOrder.add(new Event(null, gomaps.get(g++)));
            }
            publishOrder.add(new Event(e, null));
        }
        while (g < gomaps.size()) {
            publishOrder.add(new Event(null, gomaps.get(g++)));
        }
    }

    private static GoMapEvent snapshot(long tsNs, long addr, long count) {
        int b = 0;
        while (count > 6.5 * 8 * (1L << b)) {
            b++;
        }
        return new GoMapEvent(HOST, tsNs, 4242, "leaky", addr, "go1.19.8", count, b, (long) (count / 800), 99L);
    }

    int syscallKeys() {
        return COMMS.size() * SYSCALLS.size();
    }

    /**
     * One syscall event per series, a window and the grace past the last one: it moves every partition's stream
     * time past the last window's close, so each window is emitted. Its own window stays open.
     */
    List<SyscallEvent> closers() {
        SyscallTable table = SyscallTable.forHost();
        long tsNs = (SYSCALL_BASE_MS + (WINDOWS + 1) * 60_000L + 10_000L) * 1_000_000L + 500_000L;
        List<SyscallEvent> out = new ArrayList<>();
        for (String comm : COMMS) {
            for (String sc : SYSCALLS) {
                out.add(new SyscallEvent(HOST, tsNs, 1, 1, comm, 77L, table.number(sc), sc, 1_000L, 0L, 1));
            }
        }
        return out;
    }

    Path writeJsonl(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (JsonlWriter w = JsonlWriter.create(file)) {
            for (Event e : publishOrder) {
                if (e.syscall() != null) {
                    w.write(e.syscall());
                } else {
                    w.write(e.gomap());
                }
            }
        }
        return file;
    }
}
