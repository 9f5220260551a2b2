package io.harbinger.collector.publish;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * What the publisher needs per (comm, syscall) pair, computed once: the serialized Kafka key and the UTF-8 of
 * both names for the value encoder. Looked up by the comm string's identity (the ring interns comms, so one
 * process name is one String) and the syscall number: two array probes, no hashing of strings, no allocation.
 * An equal comm in another String instance just gets an entry of its own. Cleared when full. Not thread-safe.
 */
public final class SyscallKeyCache {
    /** One (comm, syscall) pair. */
    public record Entry(byte[] key, byte[] commUtf8, byte[] syscallUtf8) {}

    private static final int CAPACITY = 1 << 14;
    private final String[] comms = new String[CAPACITY];
    private final int[] nrs = new int[CAPACITY];
    private final Entry[] entries = new Entry[CAPACITY];
    private final BiFunction<String, String, byte[]> keySerializer;
    private int size;

    /** @param keySerializer (comm, syscall name) → serialized key */
    public SyscallKeyCache(BiFunction<String, String, byte[]> keySerializer) {
        this.keySerializer = keySerializer;
    }

    public Entry get(String comm, int syscallNr, String syscall) {
        int h = (System.identityHashCode(comm) * 0x9E3779B1 + syscallNr) * 0x85EBCA6B;
        for (int i = 0; i < CAPACITY; i++) {
            int slot = (h + i) & (CAPACITY - 1);
            String c = comms[slot];
            if (c == null) {
                return insert(slot, comm, syscallNr, syscall);
            }
            if (c == comm && nrs[slot] == syscallNr) {
                return entries[slot];
            }
        }
        throw new IllegalStateException("unreachable: the cache is cleared at half capacity");
    }

    private Entry insert(int slot, String comm, int syscallNr, String syscall) {
        if (size >= CAPACITY / 2) {
            clear();
        }
        Entry e = new Entry(keySerializer.apply(comm, syscall), utf8(comm), utf8(syscall));
        comms[slot] = comm;
        nrs[slot] = syscallNr;
        entries[slot] = e;
        size++;
        return e;
    }

    public void clear() {
        Arrays.fill(comms, null);
        Arrays.fill(entries, null);
        size = 0;
    }

    /** Names are short; bounded so that one event always fits the encoder's scratch buffer. */
    static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length > 256 ? Arrays.copyOf(b, 256) : b;
    }
}
