// SPDX-License-Identifier: GPL-2.0
/* Syscall latency: start time per thread at sys_enter, one event per sys_exit into a ring buffer.
 * Two attach flavours share one body: tp_btf (default) and raw_tp ('?' = not autoloaded; the loader picks).
 * Filters are allowlists in maps, switched on through .rodata so the verifier prunes the unused ones.
 *
 * Cost per syscall is what matters here (every syscall of the host passes through), and on this machine kind
 * every helper call pays a mitigated return, so the hot path keeps calls few: the task pointer is fetched once
 * and pid, comm and cgroup id are read through it (BTF loads, no helper), and events are staged per CPU and
 * written to the ring buffer cfg.batch at a time (one reserve + copy per batch instead of a reserve/submit
 * pair per event; tp_btf only, see on_exit). A BPF timer per CPU flushes a partly filled batch at most
 * cfg.flush_ns after its first event; the next event after that deadline flushes it too; user space flushes
 * every CPU at close (flush_stage via BPF_PROG_TEST_RUN). Events are never lost silently: every staged event
 * ends up in batch_submitted or batch_failed. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "syscall_latency.h"

char LICENSE[] SEC("license") = "GPL";

#define CLOCK_MONOTONIC 1
#define RETRY_NS 100000 /* the timer found the stage busy (it interrupted a program on its CPU): try again */

const volatile struct syscall_config cfg = { .sample_every = 1, .batch = 1, .flush_ns = 5000000 };

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
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct syscall_counters);
} counters SEC(".maps");

/* One per CPU (indexed by CPU id; the loader sizes it to the possible CPUs). lock is taken with cmpxchg by
 * whoever touches n/ev: the exit program, the flush timer (softirq: it can interrupt the exit program on the
 * same CPU) and the close-time flush (an IPI). Nobody ever waits for it: a program that finds it taken writes
 * its event directly, the timer retries shortly, the close-time flush reports busy. */
struct stage {
	__u64 first_ts;   /* exit time of the oldest staged event */
	__u32 n;          /* staged events */
	__u32 lock;
	__u32 armed;      /* the timer is pending: it will flush whatever is staged then */
	__u32 pad;
	struct syscall_event ev[MAX_BATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized by the loader */
	__type(key, __u32);
	__type(value, struct stage);
} stages SEC(".maps");

/* The flush timers, apart from the stages: the verifier lets no raw_tp program near a map holding a bpf_timer
 * (tp_btf ones may), and flush_stage (raw_tp, for BPF_PROG_TEST_RUN) needs the stages. A timer cannot live in a
 * per-CPU map, hence arrays by CPU id. */
struct stage_timer {
	struct bpf_timer timer;
	__u32 ready;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* resized by the loader */
	__type(key, __u32);
	__type(value, struct stage_timer);
} stage_timers SEC(".maps");

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

static __always_inline struct syscall_counters *cpu_counters(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

/* what bpf_get_current_cgroup_id() returns, without the call */
static __always_inline __u64 cgroup_id(struct task_struct *t)
{
	return t->cgroups->dfl_cgrp->kn->id;
}

static __always_inline void copy_comm(char *dst, struct task_struct *t)
{
	/* BTF loads of a char array go byte by byte (the verifier refuses wider ones), still far cheaper than
	 * the bpf_get_current_comm() call */
#pragma unroll
	for (int i = 0; i < TASK_COMM_LEN; i++)
		dst[i] = t->comm[i];
}

static __always_inline bool allowed(struct task_struct *t, __u32 tgid, long id)
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
		__u64 cg = cgroup_id(t);

		if (!bpf_map_lookup_elem(&cgroup_filter, &cg))
			return false;
	}
	if (cfg.filter_comm) {
		char comm[TASK_COMM_LEN];

		copy_comm(comm, t);
		if (!bpf_map_lookup_elem(&comm_filter, comm))
			return false;
	}
	return true;
}

static __always_inline int on_enter(long id)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct syscall_counters *c;
	struct start *s, fresh = {};

	if (id < 0 || !allowed(t, t->tgid, id))
		return 0;
	c = cpu_counters();
	if (!c)
		return 0;
	c->seen++;
	if (cfg.sample_every > 1) {
		if (bpf_get_prandom_u32() % cfg.sample_every)
			return 0;
		c->sampled++;
	}

	if (cfg.use_task_storage) {
		s = bpf_task_storage_get(&task_starts, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!s)
			return 0;
		s->ts = bpf_ktime_get_boot_ns();
		s->nr = (__u32)id;
	} else {
		__u32 tid = t->pid;

		fresh.ts = bpf_ktime_get_boot_ns();
		fresh.nr = (__u32)id;
		bpf_map_update_elem(&tid_starts, &tid, &fresh, BPF_ANY);
	}
	return 0;
}

static __always_inline void fill(struct syscall_event *e, struct task_struct *t, __u64 now, __u64 ts,
				 long ret, __u32 nr)
{
	e->ts_boot_ns = now;
	e->latency_ns = now - ts;
	e->ret = ret;
	e->cgroup_id = cgroup_id(t);
	e->pid = t->tgid;
	e->tid = t->pid;
	e->syscall_nr = nr;
	e->sample_weight = cfg.sample_every > 1 ? cfg.sample_every : 1;
	copy_comm(e->comm, t);
}

/* Writes the staged events as one record; caller holds st->lock. */
static __always_inline void flush(struct stage *st)
{
	struct syscall_counters *c = cpu_counters();
	__u32 n = st->n;

	if (n == 0 || !c)
		return;
	if (n > MAX_BATCH)
		n = MAX_BATCH;
	/* no wakeup: user space drains on a short timer; a wakeup per record costs ~1 us */
	if (bpf_ringbuf_output(&events, st->ev, n * sizeof(struct syscall_event), BPF_RB_NO_WAKEUP) == 0)
		__sync_fetch_and_add(&c->batch_submitted, n);
	else
		__sync_fetch_and_add(&c->batch_failed, n);
	st->n = 0;
}

static __always_inline bool try_lock(struct stage *st)
{
	return __sync_val_compare_and_swap(&st->lock, 0, 1) == 0;
}

static __always_inline void unlock(struct stage *st)
{
	__sync_lock_test_and_set(&st->lock, 0); /* xchg: a full barrier, also where a plain store is not one */
}

static __always_inline void count_timer_error(void)
{
	struct syscall_counters *c = cpu_counters();

	if (c)
		__sync_fetch_and_add(&c->timer_errors, 1);
}

static int flush_timer(void *map, __u32 *key, struct stage_timer *tm)
{
	struct stage *st = bpf_map_lookup_elem(&stages, key);

	if (!st)
		return 0;
	if (!try_lock(st)) {
		if (bpf_timer_start(&tm->timer, RETRY_NS, BPF_F_TIMER_CPU_PIN) != 0)
			count_timer_error();
		return 0;
	}
	flush(st);
	st->armed = 0;
	unlock(st);
	return 0;
}

/* Arms this CPU's flush timer, pinned to it (kernel >= 6.7; unpinned before: the lock keeps that safe). */
static __always_inline void arm(struct stage *st, __u32 cpu)
{
	struct stage_timer *tm = bpf_map_lookup_elem(&stage_timers, &cpu);
	long err;

	if (!tm) {
		count_timer_error();
		return;
	}
	if (!tm->ready) {
		bpf_timer_init(&tm->timer, &stage_timers, CLOCK_MONOTONIC); /* -EBUSY when already done: fine */
		bpf_timer_set_callback(&tm->timer, flush_timer);
		tm->ready = 1;
	}
	err = bpf_timer_start(&tm->timer, cfg.flush_ns, BPF_F_TIMER_CPU_PIN);
	if (err == -22) /* EINVAL: no BPF_F_TIMER_CPU_PIN before 6.7 */
		err = bpf_timer_start(&tm->timer, cfg.flush_ns, 0);
	if (err == 0)
		st->armed = 1;
	else
		count_timer_error();
}

/* Stages one event; false when the stage is busy (the caller then writes the event directly). */
static __always_inline bool stage_event(struct task_struct *t, __u64 now, __u64 ts, long ret, __u32 nr)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct stage *st = bpf_map_lookup_elem(&stages, &cpu);
	__u32 i;

	if (!st || !try_lock(st))
		return false;
	i = st->n;
	if (i >= MAX_BATCH) { /* cannot happen: a full stage is flushed at once; keeps the verifier and us safe */
		flush(st);
		i = 0;
	}
	fill(&st->ev[i], t, now, ts, ret, nr);
	st->n = i + 1;
	if (i + 1 >= cfg.batch || (i > 0 && now - st->first_ts > cfg.flush_ns)) {
		flush(st);
	} else if (i == 0) {
		st->first_ts = now;
		if (!st->armed)
			arm(st, cpu);
	}
	unlock(st);
	return true;
}

/* staged: tp_btf only (raw_tp programs may not use BPF timers), a constant so the raw_tp copy has no
 * reference to the timer map at all */
static __always_inline int on_exit(long ret, bool staged)
{
	__u64 now = bpf_ktime_get_boot_ns();
	struct task_struct *t = bpf_get_current_task_btf();
	struct syscall_counters *c;
	struct syscall_event *e;
	struct start *s;
	__u64 ts;
	__u32 nr;

	if (cfg.use_task_storage) {
		s = bpf_task_storage_get(&task_starts, t, 0, 0);
		if (!s || !s->ts)
			return 0;
		ts = s->ts;
		nr = s->nr;
		s->ts = 0;
	} else {
		__u32 tid = t->pid;

		s = bpf_map_lookup_elem(&tid_starts, &tid);
		if (!s)
			return 0;
		ts = s->ts;
		nr = s->nr;
		bpf_map_delete_elem(&tid_starts, &tid);
	}

	if (now - ts < cfg.min_latency_ns) {
		c = cpu_counters();
		if (c)
			c->below_min++;
		return 0;
	}
	if (staged && cfg.batch > 1 && stage_event(t, now, ts, ret, nr))
		return 0;
	c = cpu_counters();
	if (!c)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		c->reserve_failed++;
		return 0;
	}
	fill(e, t, now, ts, ret, nr);
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	c->submitted++;
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
	return on_exit(ret, true);
}

SEC("?raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	return on_enter(id);
}

SEC("?raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	return on_exit(ret, false);
}

/* Never attached: user space runs it on each CPU (BPF_PROG_TEST_RUN with BPF_F_TEST_RUN_ON_CPU) after
 * detaching, so that what is staged reaches the ring buffer before the last drain. Returns 1 when the stage
 * was busy (try again). */
SEC("raw_tp")
int flush_stage(void *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct stage *st = bpf_map_lookup_elem(&stages, &cpu);

	if (!st)
		return 0;
	if (!try_lock(st))
		return 1;
	flush(st);
	unlock(st);
	return 0;
}
