package io.harbinger.collector.bpf;

import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one BPF ring buffer on a dedicated thread. Programs submit with BPF_RB_NO_WAKEUP, so epoll never
 * fires: the thread calls {@code ring_buffer__consume} and then {@code ring_buffer__poll} with a short
 * timeout, which doubles as the timer. Records are handed over as raw addresses, valid only during the call.
 */
public final class RingBufferReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RingBufferReader.class);

    /** Called on the drain thread for each record; must copy what it keeps. */
    @FunctionalInterface
    public interface RecordHandler {
        void onRecord(long address, int size);
    }

    private final LibBpf lib;
    private final String mapName;
    private final RecordHandler handler;
    private final int pollTimeoutMs;
    // strong reference: libbpf holds only the native trampoline
    private final LibBpf.SampleFn callback;
    private final Pointer rb;
    private final Thread thread;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();
    private volatile boolean running = true;
    private volatile Throwable failure;

    RingBufferReader(Bpf bpf, BpfMap map, RecordHandler handler, int pollTimeoutMs, String threadName) {
        this.lib = bpf.lib();
        this.mapName = map.name();
        this.handler = handler;
        this.pollTimeoutMs = pollTimeoutMs;
        this.callback = this::sample;
        this.rb = lib.ring_buffer__new(map.fd(), callback, null, null);
        if (rb == null) {
            throw new BpfException("failed to create ring buffer reader for " + mapName + ": "
                    + Bpf.describeErrno(bpf.lastError()));
        }
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public RingBufferReader start() {
        thread.start();
        return this;
    }

    private int sample(Pointer ctx, long data, long size) {
        try {
            handler.onRecord(data, (int) size);
            records.incrementAndGet();
        } catch (Throwable t) {
            // exceptions must not unwind through libbpf; count and log the first few
            if (handlerErrors.incrementAndGet() <= 5) {
                LOG.error("ring buffer {}: record handler failed", mapName, t);
            }
        }
        return 0;
    }

    private void run() {
        try {
            while (running) {
                int n = lib.ring_buffer__consume(rb);
                if (n < 0 && n != -4) {
                    throw new BpfException("ring buffer " + mapName + ": consume failed: " + Bpf.describeErrno(n));
                }
                if (n == 0) {
                    int p = lib.ring_buffer__poll(rb, pollTimeoutMs);
                    if (p < 0 && p != -4) {
                        throw new BpfException("ring buffer " + mapName + ": poll failed: " + Bpf.describeErrno(p));
                    }
                }
            }
            lib.ring_buffer__consume(rb);
        } catch (Throwable t) {
            failure = t;
            LOG.error("ring buffer {} reader stopped: {}", mapName, t.getMessage());
        }
    }

    /** Drains whatever is in the ring now, on the caller's thread; only when the drain thread is stopped. */
    public long records() {
        return records.get();
    }

    public long handlerErrors() {
        return handlerErrors.get();
    }

    public Throwable failure() {
        return failure;
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        if (thread.isAlive() || thread.getState() != Thread.State.NEW) {
            try {
                thread.join(10_000L + pollTimeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive()) {
            lib.ring_buffer__free(rb);
        }
    }
}
