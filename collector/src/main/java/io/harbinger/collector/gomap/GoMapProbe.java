package io.harbinger.collector.gomap;

import io.harbinger.collector.bpf.Bpf;
import io.harbinger.collector.bpf.BpfException;
import io.harbinger.collector.bpf.BpfMap;
import io.harbinger.collector.bpf.BpfObject;
import io.harbinger.collector.bpf.RingBufferReader;
import java.util.concurrent.atomic.AtomicLong;

/** The Go-map probe set (bpf/gomap.bpf.c): the exec tracepoint plus growth uprobes per Go binary. */
public final class GoMapProbe implements AutoCloseable {
    public static final String OBJECT = "gomap.bpf.o";

    private final BpfObject obj;
    private final BpfMap counters;
    private final int cpus;
    private final AtomicLong attachFailures = new AtomicLong();
    private final AtomicLong uprobes = new AtomicLong();
    private RingBufferReader reader;
    private long finalGrowHits = -1;
    private long finalKernelDrops = -1;

    private GoMapProbe(Bpf bpf, BpfObject obj) {
        this.obj = obj;
        this.counters = obj.map("go_counters");
        this.cpus = bpf.possibleCpus();
    }

    public static GoMapProbe load(Bpf bpf) {
        BpfObject obj = BpfObject.openResource(bpf, OBJECT);
        try {
            obj.load();
            GoMapProbe p = new GoMapProbe(bpf, obj);
            obj.attach("go_exec");
            return p;
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /**
     * Attaches the growth uprobes of a binary for every process running it. Returns how many attached;
     * failures are counted and the first one's message returned through the exception only when none attached.
     */
    public int attach(GoBinary binary, String attachPath) {
        int ok = 0;
        BpfException first = null;
        for (GoBinary.ResolvedProbe p : binary.probes()) {
            try {
                obj.attachUprobe("go_grow_arg" + p.argSlot(), -1, attachPath, p.fileOffset());
                ok++;
                uprobes.incrementAndGet();
            } catch (BpfException e) {
                attachFailures.incrementAndGet();
                if (first == null) {
                    first = e;
                }
            }
        }
        if (ok == 0 && first != null) {
            throw first;
        }
        return ok;
    }

    public synchronized RingBufferReader startReader(RingBufferReader.RecordHandler handler, int pollTimeoutMs) {
        reader = obj.ringBuffer("go_events", handler, pollTimeoutMs, "harbinger-gomap-ring").start();
        return reader;
    }

    public synchronized long growHits() {
        if (finalGrowHits >= 0) {
            return finalGrowHits;
        }
        return counters.sumPerCpu(GoMapEventLayout.CNT_GROW_HITS, cpus);
    }

    public synchronized long kernelDrops() {
        if (finalKernelDrops >= 0) {
            return finalKernelDrops;
        }
        return counters.sumPerCpu(GoMapEventLayout.CNT_RESERVE_FAILED, cpus);
    }

    public long attachFailures() {
        return attachFailures.get();
    }

    public long uprobesAttached() {
        return uprobes.get();
    }

    @Override
    public synchronized void close() {
        try {
            obj.detachAll();
            if (reader != null) {
                reader.close();
            }
            finalGrowHits = growHits();
            finalKernelDrops = kernelDrops();
        } finally {
            obj.close();
        }
    }
}
