// SPDX-License-Identifier: GPL-2.0
/* Deliberately rejected by the verifier (a map value used without a NULL check): BpfErrorsIT checks the
 * one-line error and that the verifier log goes to the debug log. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("tp_btf/sys_enter")
int rejected(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&values, &k);

	*v += 1; /* no NULL check */
	return 0;
}
