package io.harbinger.collector.bpf;

import jnr.ffi.Pointer;

/** A loaded map, read and written through its fd. Key/value buffers are reused: not thread-safe. */
public final class BpfMap {
    private final Bpf bpf;
    private final String name;
    private final int fd;
    private final Pointer key;
    private final Pointer value;
    /** Largest per-CPU value the counter reads below support (bytes). */
    private static final int MAX_VALUE_PER_CPU = 128;

    BpfMap(Bpf bpf, String name, int fd) {
        this.bpf = bpf;
        this.name = name;
        this.fd = fd;
        this.key = bpf.allocate(64);
        this.value = bpf.allocate(MAX_VALUE_PER_CPU * Math.max(1, bpf.possibleCpus()) + 64);
    }

    public String name() {
        return name;
    }

    public int fd() {
        return fd;
    }

    /** Sets key (raw bytes) to a one-byte value: the allowlist maps. */
    public synchronized void putByte(byte[] keyBytes, byte v) {
        key.put(0, keyBytes, 0, keyBytes.length);
        value.putByte(0, v);
        update();
    }

    public synchronized void putIntKeyByte(int k, byte v) {
        key.putInt(0, k);
        value.putByte(0, v);
        update();
    }

    public synchronized void putLongKeyByte(long k, byte v) {
        key.putLong(0, k);
        value.putByte(0, v);
        update();
    }

    /** Sum over CPUs of a per-CPU __u64 array slot. */
    public synchronized long sumPerCpu(int slot, int cpus) {
        key.putInt(0, slot);
        if (bpf.lib().bpf_map_lookup_elem(fd, key, value) != 0) {
            throw new BpfException("failed to read map " + name + "[" + slot + "]: "
                    + Bpf.describeErrno(bpf.lastError()));
        }
        long sum = 0;
        for (int cpu = 0; cpu < cpus; cpu++) {
            sum += value.getLong(8L * cpu);
        }
        return sum;
    }

    /**
     * Field-wise sums over CPUs of a per-CPU array entry that is a struct of {@code fields} __u64 counters
     * (one look-up per program run in the kernel instead of one per counter).
     */
    public synchronized long[] sumPerCpuFields(int slot, int fields, int cpus) {
        if (fields * 8 > MAX_VALUE_PER_CPU) {
            throw new IllegalArgumentException(fields + " counters exceed " + MAX_VALUE_PER_CPU + " bytes per CPU");
        }
        key.putInt(0, slot);
        if (bpf.lib().bpf_map_lookup_elem(fd, key, value) != 0) {
            throw new BpfException("failed to read map " + name + "[" + slot + "]: "
                    + Bpf.describeErrno(bpf.lastError()));
        }
        long[] sums = new long[fields];
        // per-CPU values are laid out back to back, each rounded up to 8 bytes
        for (int cpu = 0; cpu < cpus; cpu++) {
            for (int f = 0; f < fields; f++) {
                sums[f] += value.getLong(8L * (cpu * fields + f));
            }
        }
        return sums;
    }

    private void update() {
        if (bpf.lib().bpf_map_update_elem(fd, key, value, 0) != 0) {
            throw new BpfException("failed to update map " + name + ": " + Bpf.describeErrno(bpf.lastError()));
        }
    }
}
