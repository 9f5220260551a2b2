// SPDX-License-Identifier: GPL-2.0
/* Syscall latency: start time per thread at sys_enter, one event per sys_exit into a ring buffer.
 * Two attach flavours share one body: tp_btf (default) and raw_tp ('?' = not autoloaded; the loader picks).
 * Filters are allowlists in maps, switched on through .rodata so the verifier prunes the unused ones. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "syscall_latency.h"
#include "harbinger.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct syscall_config cfg = { .sample_every = 1 };

struct start {
	__u64 ts;
	__u32 nr;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct start);
} task_starts SEC(".maps");

/* used only when cfg.use_task_storage == 0; the loader shrinks it to 1 entry otherwise */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct start);
} tid_starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024); /* resized by the loader */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SC_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} pid_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[TASK_COMM_LEN]);
	__type(value, __u8);
} comm_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u8);
} cgroup_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SYSCALL_NR);
	__type(key, __u32);
	__type(value, __u8);
} syscall_filter SEC(".maps");

static __always_inline bool allowed(__u32 tgid, long id)
{
	if (tgid == cfg.exclude_tgid)
		return false;
	if (cfg.filter_pid && !bpf_map_lookup_elem(&pid_filter, &tgid))
		return false;
	if (cfg.filter_syscall) {
		__u32 nr = (__u32)id;
		__u8 *on;

		if (nr >= MAX_SYSCALL_NR)
			return false;
		on = bpf_map_lookup_elem(&syscall_filter, &nr);
		if (!on || !*on)
			return false;
	}
	if (cfg.filter_cgroup) {
		__u64 cg = bpf_get_current_cgroup_id();

		if (!bpf_map_lookup_elem(&cgroup_filter, &cg))
			return false;
	}
	if (cfg.filter_comm) {
		char comm[TASK_COMM_LEN] = {};

		bpf_get_current_comm(comm, sizeof(comm));
		if (!bpf_map_lookup_elem(&comm_filter, comm))
			return false;
	}
	return true;
}

static __always_inline int on_enter(long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct start *s, fresh = {};

	if (id < 0 || !allowed(pid_tgid >> 32, id))
		return 0;
	count(&counters, SC_SEEN);
	if (cfg.sample_every > 1 && bpf_get_prandom_u32() % cfg.sample_every)
		return 0;
	count(&counters, SC_SAMPLED);

	if (cfg.use_task_storage) {
		s = bpf_task_storage_get(&task_starts, bpf_get_current_task_btf(), 0,
					 BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!s)
			return 0;
		s->ts = bpf_ktime_get_boot_ns();
		s->nr = (__u32)id;
	} else {
		__u32 tid = (__u32)pid_tgid;

		fresh.ts = bpf_ktime_get_boot_ns();
		fresh.nr = (__u32)id;
		bpf_map_update_elem(&tid_starts, &tid, &fresh, BPF_ANY);
	}
	return 0;
}

static __always_inline int on_exit(long ret)
{
	__u64 now = bpf_ktime_get_boot_ns();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct syscall_event *e;
	struct start *s;
	__u64 ts;
	__u32 nr;

	if (cfg.use_task_storage) {
		s = bpf_task_storage_get(&task_starts, bpf_get_current_task_btf(), 0, 0);
		if (!s || !s->ts)
			return 0;
		ts = s->ts;
		nr = s->nr;
		s->ts = 0;
	} else {
		s = bpf_map_lookup_elem(&tid_starts, &tid);
		if (!s)
			return 0;
		ts = s->ts;
		nr = s->nr;
		bpf_map_delete_elem(&tid_starts, &tid);
	}

	if (now - ts < cfg.min_latency_ns) {
		count(&counters, SC_BELOW_MIN);
		return 0;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(&counters, SC_RESERVE_FAILED);
		return 0;
	}
	e->ts_boot_ns = now;
	e->latency_ns = now - ts;
	e->ret = ret;
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->pid = pid_tgid >> 32;
	e->tid = tid;
	e->syscall_nr = nr;
	e->sample_weight = cfg.sample_every > 1 ? cfg.sample_every : 1;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/* no wakeup: user space drains on a short timer; a wakeup per event costs ~1 us */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	count(&counters, SC_SUBMITTED);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_btf, struct pt_regs *regs, long id)
{
	return on_enter(id);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_btf, struct pt_regs *regs, long ret)
{
	return on_exit(ret);
}

SEC("?raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	return on_enter(id);
}

SEC("?raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	return on_exit(ret);
}
