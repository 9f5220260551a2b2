// SPDX-License-Identifier: GPL-2.0
/* Go map discovery. A uprobe on the runtime's map growth function (runtime.hashGrow for the hmap layout,
 * internal/runtime/maps growth functions for Swiss tables) reports the map header address; growth happens
 * once per doubling, so the traced program pays next to nothing. User space then reads the header from
 * /proc/PID/mem on a timer. Go passes arguments in registers (ABIInternal): on amd64 RAX, RBX, RCX, ...;
 * one program per argument slot, the loader attaches the one matching the function. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "gomap.h"
#include "harbinger.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} go_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GM_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} go_counters SEC(".maps");

static __always_inline void emit(__u64 addr, __u32 kind)
{
	struct gomap_event *e = bpf_ringbuf_reserve(&go_events, sizeof(*e), 0);

	if (!e) {
		count(&go_counters, GM_RESERVE_FAILED);
		return;
	}
	e->map_addr = addr;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->kind = kind;
	e->ts_boot_ns = bpf_ktime_get_boot_ns();
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

#if defined(__TARGET_ARCH_x86)
#define GO_ARG0(ctx) ((ctx)->ax)
#define GO_ARG1(ctx) ((ctx)->bx)
#define GO_ARG2(ctx) ((ctx)->cx)
#elif defined(__TARGET_ARCH_arm64)
#define GO_ARG0(ctx) ((ctx)->regs[0])
#define GO_ARG1(ctx) ((ctx)->regs[1])
#define GO_ARG2(ctx) ((ctx)->regs[2])
#else
#error "Go register ABI not mapped for this architecture"
#endif

SEC("uprobe")
int go_grow_arg0(struct pt_regs *ctx)
{
	count(&go_counters, GM_GROW_HITS);
	emit(GO_ARG0(ctx), GOMAP_GROW);
	return 0;
}

SEC("uprobe")
int go_grow_arg1(struct pt_regs *ctx)
{
	count(&go_counters, GM_GROW_HITS);
	emit(GO_ARG1(ctx), GOMAP_GROW);
	return 0;
}

SEC("uprobe")
int go_grow_arg2(struct pt_regs *ctx)
{
	count(&go_counters, GM_GROW_HITS);
	emit(GO_ARG2(ctx), GOMAP_GROW);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(go_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	count(&go_counters, GM_EXECS);
	emit(0, GOMAP_EXEC);
	return 0;
}
