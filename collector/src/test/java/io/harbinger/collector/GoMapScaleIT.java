package io.harbinger.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.harbinger.collector.bpf.Bpf;
import io.harbinger.collector.bpf.Preflight;
import io.harbinger.collector.enrich.BootClock;
import io.harbinger.collector.gomap.GoMapWatcher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, item 5: the Go-map watcher (real uprobes on runtime.hashGrow) against a Go program holding 12,000 live
 * maps, each grown once: exactly {@code max_maps} (10,000) are tracked, the rest evicted and counted, and the heap the
 * tracking takes stays bounded. Then the program execs /bin/sleep while its maps are polled every 20 ms (the same
 * pid, another program: reads of the old addresses would return the new image's memory), and a second one is
 * killed: no crash, every map of both dropped and counted, and the watcher still tracks a process started after.
 */
class GoMapScaleIT {
    static final int MAPS = 12_000;
    static final int MAX = 10_000;
    /** Maps created per 10 ms: 50,000 growths/s (the Go-map ring, 256 KiB, overflows on a burst of ~6,000). */
    static final int BATCH = 500;
    static final long HEAP_BOUND = 32L << 20;

    @Test
    void tenThousandMapsStayBoundedAndExecOrExitDropsThemCounted() throws Exception {
        String workload = Workloads.goManyMaps().toString();
        Bpf bpf = Preflight.check();
        AtomicLong snapshots = new AtomicLong();
        long heapBefore = usedHeapAfterGc();
        try (GoMapWatcher w = GoMapWatcher.start(bpf, new GoMapWatcher.Options(Set.of("hbwork_gomaps"),
                Duration.ofMillis(20), Duration.ofMillis(200), MAX), "scale-it", new BootClock(bpf.libc()),
                e -> snapshots.incrementAndGet())) {
            Process big = new ProcessBuilder(workload, "" + MAPS, "1s", "" + BATCH).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try {
                assertEquals("ready " + MAPS, readLine(big));
                awaitTrue(w, () -> w.trackedMaps() == MAX && w.mapsEvicted() >= MAPS - MAX, Duration.ofSeconds(30));
                Thread.sleep(500); // a few polls of all 10,000
                long heapTracking = usedHeapAfterGc();
                long tracked = w.trackedMaps();
                long evicted = w.mapsEvicted();
                System.out.printf("%d maps: grow hits %d, tracked %d, evicted %d, kernel drops %d, snapshots %d; "
                                + "heap %.1f MiB before, %.1f MiB while tracking (%+.1f MiB, %d bytes per tracked map)%n",
                        MAPS, w.growHits(), tracked, evicted, w.kernelDrops(), snapshots.get(), heapBefore / 1048576.0,
                        heapTracking / 1048576.0, (heapTracking - heapBefore) / 1048576.0,
                        (heapTracking - heapBefore) / MAX);
                assertEquals(0, w.kernelDrops(), "every growth seen");
                assertEquals(MAX, tracked, "exactly max_maps tracked");
                // the runtime grows a few maps of its own at start; ours are 12,000
                assertTrue(evicted >= MAPS - MAX && evicted <= MAPS - MAX + 64, "evicted " + evicted);
                assertTrue(heapTracking - heapBefore < HEAP_BOUND, "heap grew by " + (heapTracking - heapBefore));
                assertEquals(0, w.mapsDropped());
                assertEquals(w.mapsDiscovered(), tracked + evicted, "every discovered map tracked or evicted");

                // exec while every map is read each 20 ms: all 10,000 dropped and counted, the pid now not Go
                send(big, "exec");
                awaitTrue(w, () -> w.trackedMaps() == 0 && w.goProcesses() == 0, Duration.ofSeconds(10));
                System.out.printf("after exec: discovered %d, tracked %d, evicted %d, dropped %d, Go processes %d%n",
                        w.mapsDiscovered(), w.trackedMaps(), w.mapsEvicted(), w.mapsDropped(), w.goProcesses());
                // the runtime may grow a map or two of its own around the exec: those are counted as well
                assertTrue(w.mapsDropped() >= MAX, "every map tracked at the exec dropped: " + w.mapsDropped());
                assertEquals(w.mapsDiscovered(), w.mapsEvicted() + w.mapsDropped(),
                        "every map of the exec'd process dropped or evicted, counted");
            } finally {
                big.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }

            // the watcher carries on: a new process is tracked, then killed while polled
            Process small = new ProcessBuilder(workload, "500", "1s", "" + BATCH).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try {
                assertEquals("ready 500", readLine(small));
                awaitTrue(w, () -> w.trackedMaps() >= 500, Duration.ofSeconds(30));
                long trackedSmall = w.trackedMaps();
                long droppedBefore = w.mapsDropped();
                small.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                awaitTrue(w, () -> w.trackedMaps() == 0 && w.goProcesses() == 0, Duration.ofSeconds(10));
                System.out.printf("killed process with %d maps: dropped %d in all%n", trackedSmall, w.mapsDropped());
                assertEquals(droppedBefore + trackedSmall, w.mapsDropped(), "the killed process's maps dropped, counted");
                assertEquals(w.mapsDiscovered(), w.mapsEvicted() + w.mapsDropped(), "the books balance");
            } finally {
                small.destroyForcibly();
            }
        }
    }

    private static String readLine(Process p) throws Exception {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static void send(Process p, String line) throws Exception {
        OutputStream o = p.getOutputStream();
        o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void awaitTrue(GoMapWatcher w, BooleanSupplier c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(c.getAsBoolean(), "timed out after " + timeout + ": grow hits " + w.growHits() + ", tracked "
                + w.trackedMaps() + ", evicted " + w.mapsEvicted() + ", dropped " + w.mapsDropped() + ", Go processes "
                + w.goProcesses() + ", kernel drops " + w.kernelDrops() + ", attach failures " + w.attachFailures());
    }
}
