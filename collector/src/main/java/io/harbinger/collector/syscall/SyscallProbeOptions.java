package io.harbinger.collector.syscall;

import java.util.Set;

/**
 * Everything the syscall probe is told before load. Empty sets mean "no filter".
 *
 * @param minLatencyNs    exits faster than this are dropped in the kernel (0: none)
 * @param sampleEvery     keep 1 in N syscalls at random, events carry sample_weight N (1: all)
 * @param pids            tgid allowlist
 * @param comms           process-name allowlist (exact, at most 15 bytes as the kernel keeps them)
 * @param cgroupIds       cgroup v2 id allowlist
 * @param syscalls        syscall-number allowlist
 * @param attach          tracepoint flavour
 * @param startStorage    where the per-thread start time lives
 * @param ringBufferBytes kernel ring size (power of two, ≥ 4096 pages)
 * @param excludeSelf     ignore the collector's own syscalls (its polling would otherwise feed itself)
 * @param batch           events per ring-buffer record, staged per CPU (1: one record per event)
 * @param batchFlushNs    a partly filled batch reaches the ring buffer at most this long after its first event
 */
public record SyscallProbeOptions(long minLatencyNs, int sampleEvery, Set<Integer> pids, Set<String> comms,
                                  Set<Long> cgroupIds, Set<Integer> syscalls, Attach attach,
                                  StartStorage startStorage, int ringBufferBytes, boolean excludeSelf,
                                  int batch, long batchFlushNs) {

    public enum Attach { TP_BTF, RAW_TP }

    public enum StartStorage { TASK, HASH }

    public static final int DEFAULT_RING_BYTES = 16 * 1024 * 1024;
    /** MAX_BATCH in bpf/syscall_latency.h. */
    public static final int MAX_BATCH = 64;
    public static final int DEFAULT_BATCH = 32;
    public static final long DEFAULT_BATCH_FLUSH_NS = 5_000_000L;

    public SyscallProbeOptions {
        if (minLatencyNs < 0) {
            throw new IllegalArgumentException("min latency must be >= 0, got " + minLatencyNs);
        }
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sample-every must be >= 1, got " + sampleEvery);
        }
        if (ringBufferBytes < 4096 || Integer.bitCount(ringBufferBytes) != 1) {
            throw new IllegalArgumentException("ring buffer size must be a power of two >= 4096, got "
                    + ringBufferBytes);
        }
        if (batch < 1 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("batch must be 1-" + MAX_BATCH + ", got " + batch);
        }
        if (batchFlushNs < 100_000L || batchFlushNs > 1_000_000_000L) {
            throw new IllegalArgumentException("batch flush interval must be 0.1-1000 ms, got " + batchFlushNs
                    + " ns");
        }
        for (String c : comms) {
            if (c.isEmpty() || c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
                throw new IllegalArgumentException("comm '" + c + "' must be 1-15 bytes (the kernel truncates "
                        + "process names to 15)");
            }
        }
        pids = Set.copyOf(pids);
        comms = Set.copyOf(comms);
        cgroupIds = Set.copyOf(cgroupIds);
        syscalls = Set.copyOf(syscalls);
    }

    /** Everything, unsampled, tp_btf with task storage, batches of 32 flushed within 5 ms. */
    public static SyscallProbeOptions defaults() {
        return new SyscallProbeOptions(0, 1, Set.of(), Set.of(), Set.of(), Set.of(), Attach.TP_BTF,
                StartStorage.TASK, DEFAULT_RING_BYTES, true, DEFAULT_BATCH, DEFAULT_BATCH_FLUSH_NS);
    }

    public SyscallProbeOptions withComms(Set<String> c) {
        return new SyscallProbeOptions(minLatencyNs, sampleEvery, pids, c, cgroupIds, syscalls, attach,
                startStorage, ringBufferBytes, excludeSelf, batch, batchFlushNs);
    }

    public SyscallProbeOptions withPids(Set<Integer> p) {
        return new SyscallProbeOptions(minLatencyNs, sampleEvery, p, comms, cgroupIds, syscalls, attach,
                startStorage, ringBufferBytes, excludeSelf, batch, batchFlushNs);
    }

    public SyscallProbeOptions withVariant(Attach a, StartStorage s) {
        return new SyscallProbeOptions(minLatencyNs, sampleEvery, pids, comms, cgroupIds, syscalls, a, s,
                ringBufferBytes, excludeSelf, batch, batchFlushNs);
    }

    public SyscallProbeOptions withBatch(int events, long flushNs) {
        return new SyscallProbeOptions(minLatencyNs, sampleEvery, pids, comms, cgroupIds, syscalls, attach,
                startStorage, ringBufferBytes, excludeSelf, events, flushNs);
    }
}
