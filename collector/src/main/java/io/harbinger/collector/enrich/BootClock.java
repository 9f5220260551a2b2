package io.harbinger.collector.enrich;

import io.harbinger.collector.bpf.LibC;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Converts the kernel's CLOCK_BOOTTIME (bpf_ktime_get_boot_ns) to wall-clock epoch ns. The offset
 * realtime − boottime is sampled as the tightest of a few back-to-back reads and refreshed by {@link #refresh()}
 * so NTP steps are followed.
 */
public final class BootClock {
    private final LibC libc;
    private final Pointer ts;
    private volatile long offsetNs;

    public BootClock(LibC libc) {
        this.libc = libc;
        this.ts = Memory.allocateDirect(Runtime.getRuntime(libc), 16);
        refresh();
    }

    public synchronized void refresh() {
        long best = Long.MAX_VALUE;
        long bestOffset = 0;
        for (int i = 0; i < 5; i++) {
            long b1 = read(LibC.CLOCK_BOOTTIME);
            long r = read(LibC.CLOCK_REALTIME);
            long b2 = read(LibC.CLOCK_BOOTTIME);
            if (b2 - b1 < best) {
                best = b2 - b1;
                bestOffset = r - (b1 + (b2 - b1) / 2);
            }
        }
        offsetNs = bestOffset;
    }

    public long bootNow() {
        return read(LibC.CLOCK_BOOTTIME);
    }

    public long toEpochNs(long bootNs) {
        return bootNs + offsetNs;
    }

    public long offsetNs() {
        return offsetNs;
    }

    private long read(int clock) {
        libc.clock_gettime(clock, ts);
        return ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
    }
}
