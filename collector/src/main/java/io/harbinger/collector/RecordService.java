package io.harbinger.collector;

import io.harbinger.collector.publish.JsonlSink;
import io.harbinger.jsonl.JsonlWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code harbinger record}: the collector into a JSONL file for a fixed time. The file is created only after
 * every probe is attached. Ends early and cleanly on SIGINT/SIGTERM.
 */
public final class RecordService {
    private RecordService() {}

    public static CollectorStats run(RecordConfig config) {
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "harbinger-record-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Collector c = Collector.start(config.settings(), () -> {
            try {
                return new JsonlSink(JsonlWriter.create(config.out()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + config.out() + ": " + e.getMessage(), e);
            }
        });
        try {
            long deadline = System.nanoTime() + config.duration().toNanos();
            while (System.nanoTime() < deadline && c.failure() == null) {
                if (stop.await(Math.min(200, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1),
                        TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            c.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        if (c.failure() != null) {
            throw new IllegalStateException("recording failed: " + c.failure().getMessage(), c.failure());
        }
        return c.stats();
    }
}
