package io.harbinger.collector.gomap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * The classic {@code runtime.hmap} (Go ≤ 1.23, src/runtime/map.go), 64-bit:
 * <pre>
 *   0 count int    8 flags uint8   9 B uint8   10 noverflow uint16   12 hash0 uint32
 *  16 buckets     24 oldbuckets   32 nevacuate   40 extra            (48 bytes)
 * </pre>
 * Probed at {@code runtime.hashGrow(t *maptype, h *hmap)}: h is argument 1.
 */
public final class HmapLayout implements MapLayout {
    public static final HmapLayout INSTANCE = new HmapLayout();
    static final int SIZE = 48;
    static final int COUNT = 0;
    static final int FLAGS = 8;
    static final int B = 9;
    static final int NOVERFLOW = 10;
    static final int HASH0 = 12;
    static final int BUCKETS = 16;

    private final ThreadLocal<ByteBuffer> buf =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN));

    private HmapLayout() {}

    @Override
    public String name() {
        return "hmap";
    }

    @Override
    public List<ProbePoint> probePoints() {
        return List.of(new ProbePoint("runtime.hashGrow", 1));
    }

    @Override
    public Optional<MapHeader> read(MemoryReader mem, long addr) throws IOException {
        ByteBuffer b = buf.get();
        b.clear();
        mem.read(addr, b);
        long count = b.getLong(COUNT);
        int log2 = b.get(B) & 0xff;
        int flags = b.get(FLAGS) & 0xff;
        long noverflow = Short.toUnsignedInt(b.getShort(NOVERFLOW));
        long hash0 = Integer.toUnsignedLong(b.getInt(HASH0));
        long buckets = b.getLong(BUCKETS);
        // a live hmap: B below 64, load factor at most 6.5 per bucket (13/2, twice over for a growing map),
        // a bucket array once anything is in it, only the four defined flag bits
        boolean plausible = count >= 0 && log2 < 58 && (flags & ~0x0f) == 0
                && count <= 13L * (1L << log2) + 8
                && (count == 0 || buckets != 0);
        return plausible ? Optional.of(new MapHeader(count, log2, noverflow, hash0)) : Optional.empty();
    }
}
