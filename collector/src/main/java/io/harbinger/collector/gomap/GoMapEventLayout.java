package io.harbinger.collector.gomap;

import com.kenai.jffi.MemoryIO;

/** Java mirror of {@code struct gomap_event} (bpf/gomap.h), field for field. */
public final class GoMapEventLayout {
    public static final int MAP_ADDR = 0;
    public static final int PID = 8;
    public static final int KIND = 12;
    public static final int TS_BOOT_NS = 16;
    public static final int SIZE = 24;

    public static final int KIND_GROW = 1;
    public static final int KIND_EXEC = 2;

    /** Slots of enum gomap_counter. */
    public static final int CNT_GROW_HITS = 0;
    public static final int CNT_EXECS = 1;
    public static final int CNT_RESERVE_FAILED = 2;

    private static final MemoryIO MEM = MemoryIO.getInstance();

    private GoMapEventLayout() {}

    public static long mapAddr(long e) {
        return MEM.getLong(e + MAP_ADDR);
    }

    public static int pid(long e) {
        return MEM.getInt(e + PID);
    }

    public static int kind(long e) {
        return MEM.getInt(e + KIND);
    }

    public static long tsBootNs(long e) {
        return MEM.getLong(e + TS_BOOT_NS);
    }
}
