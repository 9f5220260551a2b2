/* Types shared by gomap.bpf.c and the Java loader (io.harbinger.collector.gomap). */
#ifndef HARBINGER_GOMAP_H
#define HARBINGER_GOMAP_H

enum gomap_event_kind {
	GOMAP_GROW = 1,   /* a map header seen at a growth function */
	GOMAP_EXEC = 2,   /* a process exec'd: user space checks whether it is a Go binary */
};

/* One record in the "go_events" ring buffer; mirrored by GoMapProbeEventLayout.java (24 bytes). */
struct gomap_event {
	__u64 map_addr;   /*  0: map header address in the target (0 for GOMAP_EXEC) */
	__u32 pid;        /*  8: tgid */
	__u32 kind;       /* 12: enum gomap_event_kind */
	__u64 ts_boot_ns; /* 16 */
};

enum gomap_counter {
	GM_GROW_HITS = 0,
	GM_EXECS = 1,
	GM_RESERVE_FAILED = 2,
	GM_COUNTERS = 3,
};

#endif
