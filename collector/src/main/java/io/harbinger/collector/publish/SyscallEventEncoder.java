package io.harbinger.collector.publish;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a SyscallEvent in the Confluent wire format (magic 0, schema id, Avro binary) straight from the
 * publisher's primitive fields: no Avro record object, no datum writer. Field order and encodings follow
 * schemas/src/main/avro/SyscallEvent.avsc (strings: zig-zag varint length + UTF-8; int/long: zig-zag varint);
 * {@code SyscallEventEncoderTest} checks it byte for byte against Avro's own writer. Not thread-safe.
 */
public final class SyscallEventEncoder {
    private final byte[] scratch = new byte[1024];
    private final Map<String, byte[]> utf8 = new HashMap<>();
    private int pos;

    public byte[] encode(int schemaId, String host, long tsNs, int pid, int tid, String comm, long cgroupId,
                         int syscallNr, String syscall, long latencyNs, long ret, int sampleWeight) {
        return encode(schemaId, utf8(host), tsNs, pid, tid, utf8(comm), cgroupId, syscallNr, utf8(syscall),
                latencyNs, ret, sampleWeight);
    }

    /** The hot path: the strings already as UTF-8 (each at most 256 bytes). */
    public byte[] encode(int schemaId, byte[] host, long tsNs, int pid, int tid, byte[] comm, long cgroupId,
                         int syscallNr, byte[] syscall, long latencyNs, long ret, int sampleWeight) {
        pos = 0;
        scratch[pos++] = 0;
        scratch[pos++] = (byte) (schemaId >>> 24);
        scratch[pos++] = (byte) (schemaId >>> 16);
        scratch[pos++] = (byte) (schemaId >>> 8);
        scratch[pos++] = (byte) schemaId;
        string(host);
        varlong(tsNs);
        varlong(pid);
        varlong(tid);
        string(comm);
        varlong(cgroupId);
        varlong(syscallNr);
        string(syscall);
        varlong(latencyNs);
        varlong(ret);
        varlong(sampleWeight);
        return Arrays.copyOf(scratch, pos);
    }

    private byte[] utf8(String s) {
        byte[] b = utf8.get(s);
        if (b == null) {
            if (utf8.size() > 100_000) {
                utf8.clear();
            }
            b = SyscallKeyCache.utf8(s);
            utf8.put(s, b);
        }
        return b;
    }

    private void string(byte[] b) {
        varlong(b.length);
        System.arraycopy(b, 0, scratch, pos, b.length);
        pos += b.length;
    }

    private void varlong(long v) {
        long n = (v << 1) ^ (v >> 63);
        while ((n & ~0x7FL) != 0) {
            scratch[pos++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        scratch[pos++] = (byte) n;
    }
}
