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

/* Written into .rodata between open and load; mirrored by SyscallProbeConfig.java (24 bytes). */
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
};

/* Slots of the per-CPU "counters" array. */
enum syscall_counter {
	SC_SEEN = 0,          /* entries that passed the allowlists */
	SC_SAMPLED = 1,       /* of those, kept by the 1-in-N sampler */
	SC_BELOW_MIN = 2,     /* exits dropped by min_latency_ns */
	SC_SUBMITTED = 3,     /* events written to the ring buffer */
	SC_RESERVE_FAILED = 4,/* ring buffer full: event lost in the kernel */
	SC_COUNTERS = 5,
};

#endif
