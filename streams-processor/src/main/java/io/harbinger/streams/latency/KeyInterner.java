package io.harbinger.streams.latency;

import org.apache.kafka.common.utils.Bytes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The one remembered {@link Bytes} per distinct key content, found without allocating: an open-addressing table hashed
 * eight bytes at a time. Every raw syscall event passes through {@link #find}, so it is on the topology's hottest
 * path: {@code Bytes.hashCode} (a byte-at-a-time {@code 31 * h + b} chain) plus a {@code ConcurrentHashMap} lookup
 * took a tenth of a stream thread in a profile.
 *
 * <p>Shared by the stream threads: {@link #find} reads without locking; {@link #add} is synchronized. A reader racing
 * an insertion sees the slot empty (and takes the slow path, which finds the key under the lock) or the new
 * {@code Bytes}, whose content is safely visible through its final field. Past {@code maxKeys} distinct keys the table
 * starts over (each key is then added once more).
 */
final class KeyInterner {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final float LOAD = 0.5f;

    private final int maxKeys;
    /** Slots, a power of two; replaced whole when it grows or starts over. */
    private volatile Bytes[] table = new Bytes[64];
    private int size; // guarded by this

    KeyInterner(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    /** The remembered key with exactly {@code data}'s content, or null. */
    Bytes find(byte[] data) {
        Bytes[] t = table;
        int mask = t.length - 1;
        for (int i = hash(data) & mask; ; i = (i + 1) & mask) {
            Bytes b = t[i];
            if (b == null) {
                return null;
            }
            if (Arrays.equals(b.get(), data)) {
                return b;
            }
        }
    }

    /** Remembers {@code key} unless an equal one is remembered already; returns the remembered one. */
    synchronized Bytes add(Bytes key) {
        Bytes known = find(key.get());
        if (known != null) {
            return known;
        }
        if (size >= maxKeys) {
            table = new Bytes[64];
            size = 0;
        }
        Bytes[] t = table;
        if (size + 1 > t.length * LOAD) {
            Bytes[] grown = new Bytes[t.length * 2];
            for (Bytes b : t) {
                if (b != null) {
                    place(grown, b);
                }
            }
            place(grown, key);
            table = grown; // published whole
        } else {
            place(t, key);
        }
        size++;
        return key;
    }

    synchronized int size() {
        return size;
    }

    private static void place(Bytes[] t, Bytes key) {
        int mask = t.length - 1;
        int i = hash(key.get()) & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = key;
    }

    /** A 64-bit multiply-xorshift hash over little-endian words (the last one overlapping), folded to an int. */
    static int hash(byte[] data) {
        int n = data.length;
        long h = n * 0x9E3779B97F4A7C15L;
        if (n >= 8) {
            for (int i = 0; i < n - 8; i += 8) {
                h = mix(h ^ (long) LONG.get(data, i));
            }
            h = mix(h ^ (long) LONG.get(data, n - 8));
        } else {
            long w = 0;
            for (int i = 0; i < n; i++) {
                w = w << 8 | (data[i] & 0xff);
            }
            h = mix(h ^ w);
        }
        h ^= h >>> 29;
        return (int) (h ^ h >>> 32);
    }

    private static long mix(long h) {
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ h >>> 31;
    }
}
