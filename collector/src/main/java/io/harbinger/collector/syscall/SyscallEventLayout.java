package io.harbinger.collector.syscall;

import com.kenai.jffi.MemoryIO;

/**
 * Java mirror of {@code struct syscall_event} (bpf/syscall_latency.h), field for field. Reads straight from
 * the ring buffer's memory: no copies, no allocation.
 */
public final class SyscallEventLayout {
    public static final int TS_BOOT_NS = 0;
    public static final int LATENCY_NS = 8;
    public static final int RET = 16;
    public static final int CGROUP_ID = 24;
    public static final int PID = 32;
    public static final int TID = 36;
    public static final int SYSCALL_NR = 40;
    public static final int SAMPLE_WEIGHT = 44;
    public static final int COMM = 48;
    public static final int COMM_LEN = 16;
    public static final int SIZE = 64;

    private static final MemoryIO MEM = MemoryIO.getInstance();

    private SyscallEventLayout() {}

    public static long tsBootNs(long e) {
        return MEM.getLong(e + TS_BOOT_NS);
    }

    public static long latencyNs(long e) {
        return MEM.getLong(e + LATENCY_NS);
    }

    public static long ret(long e) {
        return MEM.getLong(e + RET);
    }

    public static long cgroupId(long e) {
        return MEM.getLong(e + CGROUP_ID);
    }

    public static int pid(long e) {
        return MEM.getInt(e + PID);
    }

    public static int tid(long e) {
        return MEM.getInt(e + TID);
    }

    public static int syscallNr(long e) {
        return MEM.getInt(e + SYSCALL_NR);
    }

    public static int sampleWeight(long e) {
        return MEM.getInt(e + SAMPLE_WEIGHT);
    }

    public static long comm(long e) {
        return e + COMM;
    }
}
