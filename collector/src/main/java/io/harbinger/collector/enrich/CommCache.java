package io.harbinger.collector.enrich;

import com.kenai.jffi.MemoryIO;
import java.nio.charset.StandardCharsets;

/**
 * Interns the 16-byte task comm read from native memory: a hit costs two loads and no allocation.
 * Open addressing over the two 8-byte halves; cleared when full (process names are few).
 */
public final class CommCache {
    private static final MemoryIO MEM = MemoryIO.getInstance();
    private static final int CAPACITY = 4096;
    private final long[] lo = new long[CAPACITY];
    private final long[] hi = new long[CAPACITY];
    private final String[] names = new String[CAPACITY];
    private final byte[] scratch = new byte[16];
    private int size;

    /** The comm at a native address (16 bytes, NUL-padded). */
    public String at(long address) {
        long a = MEM.getLong(address);
        long b = MEM.getLong(address + 8);
        int h = Long.hashCode(a * 0x9E3779B97F4A7C15L ^ b) & (CAPACITY - 1);
        for (int i = 0; i < CAPACITY; i++) {
            int slot = (h + i) & (CAPACITY - 1);
            String s = names[slot];
            if (s == null) {
                return insert(slot, address, a, b);
            }
            if (lo[slot] == a && hi[slot] == b) {
                return s;
            }
        }
        return decode(address);
    }

    private String insert(int slot, long address, long a, long b) {
        if (size >= CAPACITY / 2) {
            java.util.Arrays.fill(names, null);
            size = 0;
        }
        String s = decode(address);
        lo[slot] = a;
        hi[slot] = b;
        names[slot] = s;
        size++;
        return s;
    }

    private String decode(long address) {
        MEM.getByteArray(address, scratch, 0, 16);
        int n = 0;
        while (n < 16 && scratch[n] != 0) {
            n++;
        }
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }
}
