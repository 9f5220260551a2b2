package io.harbinger.collector.syscall;

/** Kernel-side counters of the syscall probe, summed over CPUs (slots of enum syscall_counter). */
public record SyscallCounters(long seen, long sampled, long belowMinLatency, long submitted, long reserveFailed) {
    static final int SEEN = 0;
    static final int SAMPLED = 1;
    static final int BELOW_MIN = 2;
    static final int SUBMITTED = 3;
    static final int RESERVE_FAILED = 4;
}
