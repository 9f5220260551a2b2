package io.harbinger.collector.syscall;

import jnr.ffi.Pointer;

/** Java mirror of {@code struct syscall_config} (bpf/syscall_latency.h), the probe's .rodata. */
public final class SyscallConfigLayout {
    public static final int MIN_LATENCY_NS = 0;
    public static final int SAMPLE_EVERY = 8;
    public static final int EXCLUDE_TGID = 12;
    public static final int FILTER_PID = 16;
    public static final int FILTER_COMM = 17;
    public static final int FILTER_CGROUP = 18;
    public static final int FILTER_SYSCALL = 19;
    public static final int USE_TASK_STORAGE = 20;
    public static final int BATCH = 24;
    public static final int FLUSH_NS = 32;
    public static final int SIZE = 40;

    /** Offset of {@code cfg} in .rodata: it is the object's only read-only global. */
    public static final int RODATA_OFFSET = 0;

    private SyscallConfigLayout() {}

    static void write(Pointer rodata, SyscallProbeOptions o, int selfTgid) {
        int b = RODATA_OFFSET;
        rodata.putLong(b + MIN_LATENCY_NS, o.minLatencyNs());
        rodata.putInt(b + SAMPLE_EVERY, Math.max(1, o.sampleEvery()));
        rodata.putInt(b + EXCLUDE_TGID, o.excludeSelf() ? selfTgid : 0);
        rodata.putByte(b + FILTER_PID, flag(!o.pids().isEmpty()));
        rodata.putByte(b + FILTER_COMM, flag(!o.comms().isEmpty()));
        rodata.putByte(b + FILTER_CGROUP, flag(!o.cgroupIds().isEmpty()));
        rodata.putByte(b + FILTER_SYSCALL, flag(!o.syscalls().isEmpty()));
        rodata.putByte(b + USE_TASK_STORAGE, flag(o.startStorage() == SyscallProbeOptions.StartStorage.TASK));
        rodata.putInt(b + BATCH, o.batch());
        rodata.putLong(b + FLUSH_NS, o.batchFlushNs());
    }

    private static byte flag(boolean on) {
        return (byte) (on ? 1 : 0);
    }
}
