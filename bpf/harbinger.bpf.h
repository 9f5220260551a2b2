/* Helpers shared by Harbinger's BPF programs (kernel side only). */
#ifndef HARBINGER_BPF_H
#define HARBINGER_BPF_H

/* Adds one to slot idx of a per-CPU __u64 counter array (no atomics needed: per-CPU). */
static __always_inline void count(void *counters, __u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(counters, &idx);

	if (c)
		*c += 1;
}

#endif
