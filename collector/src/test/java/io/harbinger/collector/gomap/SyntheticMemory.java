package io.harbinger.collector.gomap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/** Sparse little-endian memory for layout tests: writes create pages, reads of unwritten bytes fail. */
final class SyntheticMemory implements MemoryReader {
    private static final int PAGE = 4096;
    private final Map<Long, ByteBuffer> pages = new TreeMap<>();

    private ByteBuffer page(long addr, boolean create) {
        long base = addr & ~(PAGE - 1L);
        ByteBuffer p = pages.get(base);
        if (p == null && create) {
            p = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
            pages.put(base, p);
        }
        return p;
    }

    SyntheticMemory u8(long addr, int v) {
        page(addr, true).put((int) (addr & (PAGE - 1)), (byte) v);
        return this;
    }

    SyntheticMemory u16(long addr, int v) {
        return u8(addr, v & 0xff).u8(addr + 1, (v >>> 8) & 0xff);
    }

    SyntheticMemory u32(long addr, long v) {
        return u16(addr, (int) (v & 0xffff)).u16(addr + 2, (int) ((v >>> 16) & 0xffff));
    }

    SyntheticMemory u64(long addr, long v) {
        return u32(addr, v & 0xffffffffL).u32(addr + 4, v >>> 32);
    }

    /** Maps zeroed bytes. */
    SyntheticMemory zero(long addr, int len) {
        for (int i = 0; i < len; i++) {
            u8(addr + i, 0);
        }
        return this;
    }

    @Override
    public void read(long address, ByteBuffer dst) throws IOException {
        long a = address;
        while (dst.hasRemaining()) {
            ByteBuffer p = page(a, false);
            if (p == null) {
                throw new IOException("unmapped 0x" + Long.toHexString(a));
            }
            dst.put(p.get((int) (a & (PAGE - 1))));
            a++;
        }
    }
}
