/* Types shared by syscall_latency.bpf.c and the Java loader (io.harbinger.collector.syscall). */
#ifndef HARBINGER_SYSCALL_LATENCY_H
#define HARBINGER_SYSCALL_LATENCY_H

#define TASK_COMM_LEN 16
#define MAX_SYSCALL_NR 1024

/* One record in the "events" ring buffer; mirrored by SyscallEventLayout.java (64 bytes). */
struct syscall_event {
	__u64 ts_boot_ns;     /*  0: CLOCK_BOOTTIME at syscall exit */
	__u64 latency_ns;     /*  8: enter to exit */
	__s64 ret;            /* 16: return value, negative is -errno */
	__u64 cgroup_id;      /* 24 */
	__u32 pid;            /* 32: tgid */
	__u32 tid;            /* 36 */
	__u32 syscall_nr;     /* 40 */
	__u32 sample_weight;  /* 44: N when 1-in-N sampled */
	char comm[TASK_COMM_LEN]; /* 48 */
};

/* Most events per ring-buffer record (per-CPU staging, see syscall_latency.bpf.c). */
#define MAX_BATCH 64

/* Written into .rodata between open and load; mirrored by SyscallConfigLayout.java (40 bytes). */
struct syscall_config {
	__u64 min_latency_ns;   /*  0: drop exits faster than this */
	__u32 sample_every;     /*  8: keep 1 in N entries (0 or 1: all) */
	__u32 exclude_tgid;     /* 12: the collector itself, 0 for none */
	__u8 filter_pid;        /* 16: consult pid_filter */
	__u8 filter_comm;       /* 17: consult comm_filter */
	__u8 filter_cgroup;     /* 18: consult cgroup_filter */
	__u8 filter_syscall;    /* 19: consult syscall_filter */
	__u8 use_task_storage;  /* 20: 1: task-local storage, 0: hash map by tid */
	__u8 pad[3];
	__u32 batch;            /* 24: events per ring-buffer record, 1..MAX_BATCH (1: one record per event) */
	__u32 pad2;             /* 28 */
	__u64 flush_ns;         /* 32: a partly filled batch is submitted at most this long after its first event */
};

/* The per-CPU "counters" value (one entry, one look-up per program run); mirrored by SyscallCounters.java.
 * The first five are only written by the enter/exit programs; the batch_* ones also by the flush timer, which
 * can interrupt a program on the same CPU, so those are atomic adds. */
struct syscall_counters {
	__u64 seen;           /* entries that passed the allowlists */
	__u64 sampled;        /* of those, kept by the 1-in-N sampler (not counted when unsampled: = seen) */
	__u64 below_min;      /* exits dropped by min_latency_ns */
	__u64 submitted;      /* events written to the ring buffer one record each */
	__u64 reserve_failed; /* of those, ring buffer full: lost in the kernel */
	__u64 batch_submitted;/* events written to the ring buffer in batches */
	__u64 batch_failed;   /* of those, ring buffer full: lost in the kernel */
	__u64 timer_errors;   /* flush timer could not be armed (batches then wait for the next event or close) */
};

#endif
