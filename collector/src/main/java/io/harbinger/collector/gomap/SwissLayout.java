package io.harbinger.collector.gomap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * Go 1.24/1.25 Swiss-table maps (src/internal/runtime/maps), 64-bit:
 * <pre>
 * Map:   0 used uint64   8 seed uintptr   16 dirPtr   24 dirLen int   32 globalDepth uint8   33 globalShift
 *        34 writing   (35 tombstonePossible, go1.25)   40 clearSeq uint64           (48 bytes)
 * table: 0 used uint16   2 capacity uint16   4 growthLeft uint16   6 localDepth uint8   8 index int
 *        16 groups.data   24 groups.lengthMask
 * </pre>
 * dirLen 0 is a small map: dirPtr points at one group of 8 slots. Otherwise dirPtr is {@code *[dirLen]*table};
 * a table with localDepth < globalDepth fills 2^(globalDepth−localDepth) consecutive entries. Reported as
 * log2_buckets = log2(total groups), overflow_buckets = 0 (Swiss tables have no overflow chains).
 * Growth: {@code (*table).rehash(typ, m)} has the map in argument 2, {@code (*Map).growToTable(typ)} and
 * {@code (*Map).growToSmall(typ)} in argument 0.
 */
public final class SwissLayout implements MapLayout {
    public static final SwissLayout INSTANCE = new SwissLayout();
    static final int MAP_SIZE = 48;
    static final int USED = 0;
    static final int SEED = 8;
    static final int DIR_PTR = 16;
    static final int DIR_LEN = 24;
    static final int GLOBAL_DEPTH = 32;
    static final int TABLE_CAPACITY = 2;
    static final int GROUP_SLOTS = 8;
    /** Bound on directory entries read per map (2^16 tables of up to 1024 slots = 64 Mi entries). */
    static final int MAX_DIR_LEN = 1 << 16;

    private final ThreadLocal<ByteBuffer> buf =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(8 * 512).order(ByteOrder.LITTLE_ENDIAN));

    private SwissLayout() {}

    @Override
    public String name() {
        return "swiss";
    }

    @Override
    public List<ProbePoint> probePoints() {
        return List.of(
                new ProbePoint("internal/runtime/maps.(*table).rehash", 2),
                new ProbePoint("internal/runtime/maps.(*Map).growToTable", 0),
                new ProbePoint("internal/runtime/maps.(*Map).growToSmall", 0));
    }

    @Override
    public Optional<MapHeader> read(MemoryReader mem, long addr) throws IOException {
        ByteBuffer b = buf.get();
        b.clear().limit(MAP_SIZE);
        mem.read(addr, b);
        long used = b.getLong(USED);
        long seed = b.getLong(SEED);
        long dirPtr = b.getLong(DIR_PTR);
        long dirLen = b.getLong(DIR_LEN);
        int globalDepth = b.get(GLOBAL_DEPTH) & 0xff;
        if (used < 0 || dirLen < 0) {
            return Optional.empty();
        }
        if (dirLen == 0) {
            boolean plausible = used <= GROUP_SLOTS && (used == 0 || dirPtr != 0);
            return plausible ? Optional.of(new MapHeader(used, 0, 0, seed)) : Optional.empty();
        }
        if (dirLen > MAX_DIR_LEN || Long.bitCount(dirLen) != 1 || dirLen != (1L << globalDepth) || dirPtr == 0) {
            return Optional.empty();
        }
        long slots = 0;
        long previous = 0;
        for (long i = 0; i < dirLen; i += 512) {
            int n = (int) Math.min(512, dirLen - i);
            b.clear().limit(8 * n);
            mem.read(dirPtr + 8 * i, b);
            for (int k = 0; k < n; k++) {
                long table = b.getLong(8 * k);
                if (table == 0) {
                    return Optional.empty();
                }
                if (table != previous) {
                    slots += tableCapacity(mem, table);
                    previous = table;
                }
            }
        }
        long groups = slots / GROUP_SLOTS;
        if (groups <= 0 || used > slots) {
            return Optional.empty();
        }
        return Optional.of(new MapHeader(used, 63 - Long.numberOfLeadingZeros(groups), 0, seed));
    }

    private static long tableCapacity(MemoryReader mem, long table) throws IOException {
        ByteBuffer t = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        mem.read(table, t);
        return Short.toUnsignedInt(t.getShort(TABLE_CAPACITY));
    }
}
