package io.harbinger.collector.publish;

import io.harbinger.collector.enrich.CommCache;
import io.harbinger.collector.syscall.SyscallEventLayout;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded single-producer/single-consumer queue of syscall events between the ring-buffer thread and the
 * publisher. Struct-of-arrays slots preallocated once: {@link #offer(long)} copies one kernel record and
 * never blocks or allocates; when full it counts the event as dropped and returns false.
 */
public final class SyscallRing {
    private final int mask;
    private final long[] tsBootNs;
    private final long[] latencyNs;
    private final long[] ret;
    private final long[] cgroupId;
    private final int[] pid;
    private final int[] tid;
    private final int[] syscallNr;
    private final int[] sampleWeight;
    private final String[] comm;
    private final CommCache comms = new CommCache();

    // producer-owned / consumer-owned cursors, published through the atomics
    private final AtomicLong head = new AtomicLong(); // next slot to write
    private final AtomicLong tail = new AtomicLong(); // next slot to read
    private long cachedTail;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public SyscallRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 2, got " + capacity);
        }
        mask = capacity - 1;
        tsBootNs = new long[capacity];
        latencyNs = new long[capacity];
        ret = new long[capacity];
        cgroupId = new long[capacity];
        pid = new int[capacity];
        tid = new int[capacity];
        syscallNr = new int[capacity];
        sampleWeight = new int[capacity];
        comm = new String[capacity];
    }

    public int capacity() {
        return mask + 1;
    }

    /** Producer side: copies a {@code struct syscall_event} at a native address; counts a drop when full. */
    public boolean offer(long e) {
        if (!offerIfRoom(e)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Producer side: a ring-buffer record holds one or more {@code struct syscall_event} back to back (the probe
     * batches them per CPU); each is offered. Returns how many were accepted.
     */
    public int offerRecord(long address, int size) {
        int accepted = 0;
        for (int off = 0; off + SyscallEventLayout.SIZE <= size; off += SyscallEventLayout.SIZE) {
            if (offer(address + off)) {
                accepted++;
            }
        }
        return accepted;
    }

    /** Like {@link #offer} but a full ring is not a drop: the caller keeps the event (benchmarks, back-pressure). */
    public boolean offerIfRoom(long e) {
        long h = head.get();
        if (h - cachedTail > mask) {
            cachedTail = tail.get();
            if (h - cachedTail > mask) {
                return false;
            }
        }
        int i = (int) (h & mask);
        tsBootNs[i] = SyscallEventLayout.tsBootNs(e);
        latencyNs[i] = SyscallEventLayout.latencyNs(e);
        ret[i] = SyscallEventLayout.ret(e);
        cgroupId[i] = SyscallEventLayout.cgroupId(e);
        pid[i] = SyscallEventLayout.pid(e);
        tid[i] = SyscallEventLayout.tid(e);
        syscallNr[i] = SyscallEventLayout.syscallNr(e);
        sampleWeight[i] = SyscallEventLayout.sampleWeight(e);
        comm[i] = comms.at(SyscallEventLayout.comm(e));
        head.lazySet(h + 1);
        accepted.incrementAndGet();
        return true;
    }

    /** Consumer side: hands each available event to the visitor, at most max; returns how many. */
    public int drain(Visitor v, int max) {
        long t = tail.get();
        long h = head.get();
        int n = (int) Math.min(h - t, max);
        for (int k = 0; k < n; k++) {
            int i = (int) ((t + k) & mask);
            v.visit(tsBootNs[i], latencyNs[i], ret[i], cgroupId[i], pid[i], tid[i], syscallNr[i],
                    sampleWeight[i], comm[i]);
        }
        if (n > 0) {
            tail.lazySet(t + n);
        }
        return n;
    }

    public boolean isEmpty() {
        return head.get() == tail.get();
    }

    /** Events copied in (each is later delivered or dropped downstream). */
    public long accepted() {
        return accepted.get();
    }

    /** Events refused because the ring was full. */
    public long dropped() {
        return dropped.get();
    }

    @FunctionalInterface
    public interface Visitor {
        void visit(long tsBootNs, long latencyNs, long ret, long cgroupId, int pid, int tid, int syscallNr,
                   int sampleWeight, String comm);
    }
}
