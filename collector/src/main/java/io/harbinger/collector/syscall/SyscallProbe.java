package io.harbinger.collector.syscall;

import io.harbinger.collector.bpf.Bpf;
import io.harbinger.collector.bpf.BpfException;
import io.harbinger.collector.bpf.BpfMap;
import io.harbinger.collector.bpf.BpfObject;
import io.harbinger.collector.bpf.RingBufferReader;
import io.harbinger.collector.enrich.SyscallTable;
import java.nio.charset.StandardCharsets;

/**
 * The syscall-latency probe set (bpf/syscall_latency.bpf.c): options into .rodata and the allowlist maps,
 * the chosen enter/exit flavour attached, events drained from the "events" ring buffer.
 */
public final class SyscallProbe implements AutoCloseable {
    public static final String OBJECT = "syscall_latency.bpf.o";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SyscallProbe.class);
    private static final long STRAGGLER_WAIT_MS = 10;

    private final Bpf bpf;
    private final BpfObject obj;
    private final BpfMap counters;
    private final int cpus;
    private final boolean unsampled;
    private RingBufferReader reader;
    private SyscallCounters finalCounters;
    private boolean closed;

    private SyscallProbe(Bpf bpf, BpfObject obj, boolean unsampled) {
        this.bpf = bpf;
        this.obj = obj;
        this.unsampled = unsampled;
        this.counters = obj.map("counters");
        this.cpus = bpf.possibleCpus();
    }

    /** Opens, configures, loads and attaches; on any failure everything done so far is undone. */
    public static SyscallProbe attach(Bpf bpf, SyscallProbeOptions o) {
        BpfObject obj = BpfObject.openResource(bpf, OBJECT);
        try {
            SyscallConfigLayout.write(obj.rodata(), o, (int) ProcessHandle.current().pid());
            obj.setMaxEntries("events", o.ringBufferBytes());
            // one staging slot and flush timer per CPU (indexed by CPU id); none needed without batching
            int slots = o.batch() > 1 && o.attach() == SyscallProbeOptions.Attach.TP_BTF
                    ? Math.max(1, bpf.possibleCpus()) : 1;
            obj.setMaxEntries("stages", slots);
            obj.setMaxEntries("stage_timers", slots);
            if (o.startStorage() == SyscallProbeOptions.StartStorage.TASK) {
                obj.setMaxEntries("tid_starts", 1);
            }
            boolean btf = o.attach() == SyscallProbeOptions.Attach.TP_BTF;
            obj.setAutoload("sys_enter_btf", btf);
            obj.setAutoload("sys_exit_btf", btf);
            obj.setAutoload("sys_enter_raw", !btf);
            obj.setAutoload("sys_exit_raw", !btf);
            obj.load();
            fillFilters(obj, o);
            SyscallProbe probe = new SyscallProbe(bpf, obj, o.sampleEvery() <= 1);
            // exit first: an enter without its exit would only leave a stale start behind
            obj.attach(btf ? "sys_exit_btf" : "sys_exit_raw");
            obj.attach(btf ? "sys_enter_btf" : "sys_enter_raw");
            return probe;
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    private static void fillFilters(BpfObject obj, SyscallProbeOptions o) {
        if (!o.pids().isEmpty()) {
            BpfMap m = obj.map("pid_filter");
            o.pids().forEach(p -> m.putIntKeyByte(p, (byte) 1));
        }
        if (!o.comms().isEmpty()) {
            BpfMap m = obj.map("comm_filter");
            for (String c : o.comms()) {
                byte[] key = new byte[16];
                byte[] b = c.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(b, 0, key, 0, Math.min(15, b.length));
                m.putByte(key, (byte) 1);
            }
        }
        if (!o.cgroupIds().isEmpty()) {
            BpfMap m = obj.map("cgroup_filter");
            o.cgroupIds().forEach(c -> m.putLongKeyByte(c, (byte) 1));
        }
        if (!o.syscalls().isEmpty()) {
            BpfMap m = obj.map("syscall_filter");
            o.syscalls().forEach(nr -> m.putIntKeyByte(nr, (byte) 1));
        }
    }

    /** Starts draining the ring buffer into the handler on its own thread. */
    public synchronized RingBufferReader startReader(RingBufferReader.RecordHandler handler, int pollTimeoutMs) {
        if (reader != null) {
            throw new IllegalStateException("reader already started");
        }
        reader = obj.ringBuffer("events", handler, pollTimeoutMs, "harbinger-syscall-ring").start();
        return reader;
    }

    /**
     * Runs flush_stage on every CPU so that no staged event is left behind. A program that was already running
     * when its link went away can still stage one event: the short wait lets those finish first. A stage that
     * stays busy would be flushed by its timer; a CPU that cannot run it (offline) is skipped.
     */
    private void flushStages() {
        try {
            Thread.sleep(STRAGGLER_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int cpu = 0; cpu < cpus; cpu++) {
            try {
                for (int attempt = 0; attempt < 100 && obj.runOnCpu("flush_stage", cpu) != 0; attempt++) {
                    Thread.sleep(1);
                }
            } catch (BpfException e) {
                LOG.debug("no close-time flush on CPU {}: {}", cpu, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Live counters; after {@link #close()} the final ones. */
    public synchronized SyscallCounters counters() {
        if (finalCounters != null) {
            return finalCounters;
        }
        return SyscallCounters.of(counters.sumPerCpuFields(0, SyscallCounters.FIELDS, cpus), unsampled);
    }

    /** Resolves syscall names given in config to numbers for the allowlist. */
    public static java.util.Set<Integer> syscallNumbers(SyscallTable table, java.util.Collection<String> names) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (String n : names) {
            int nr = table.number(n);
            if (nr < 0) {
                throw new IllegalArgumentException("unknown syscall '" + n + "' on " + table.arch());
            }
            out.add(nr);
        }
        return out;
    }

    /**
     * Detaches the tracepoints first, then flushes every CPU's staged events into the ring buffer, drains what
     * is left, then frees the ring and the object.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            obj.detachAll();
            flushStages();
            if (reader != null) {
                reader.close();
            }
            finalCounters = counters();
        } finally {
            obj.close();
        }
    }
}
