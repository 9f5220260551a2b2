package io.harbinger.collector.syscall;

/**
 * Kernel-side counters of the syscall probe, summed over CPUs and over the one-record-per-event and batched
 * paths: from {@code struct syscall_counters} (bpf/syscall_latency.h).
 *
 * @param timerErrors times a batch flush timer could not be armed (such a batch waits for the next event on its
 *                    CPU or for the flush at close: late, not lost)
 */
public record SyscallCounters(long seen, long sampled, long belowMinLatency, long submitted, long reserveFailed,
                              long timerErrors) {
    /** Fields of struct syscall_counters, in order. */
    static final int FIELDS = 8;
    private static final int SEEN = 0;
    private static final int SAMPLED = 1;
    private static final int BELOW_MIN = 2;
    private static final int SUBMITTED = 3;
    private static final int RESERVE_FAILED = 4;
    private static final int BATCH_SUBMITTED = 5;
    private static final int BATCH_FAILED = 6;
    private static final int TIMER_ERRORS = 7;

    public static final SyscallCounters NONE = new SyscallCounters(0, 0, 0, 0, 0, 0);

    /** @param unsampled the probe keeps every syscall: the kernel does not count "sampled" separately */
    static SyscallCounters of(long[] c, boolean unsampled) {
        return new SyscallCounters(c[SEEN], unsampled ? c[SEEN] : c[SAMPLED], c[BELOW_MIN],
                c[SUBMITTED] + c[BATCH_SUBMITTED], c[RESERVE_FAILED] + c[BATCH_FAILED], c[TIMER_ERRORS]);
    }
}
