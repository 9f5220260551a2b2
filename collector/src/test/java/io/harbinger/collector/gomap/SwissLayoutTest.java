package io.harbinger.collector.gomap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Go 1.24/1.25 Swiss-table reader over synthetic memory laid out as internal/runtime/maps does. */
class SwissLayoutTest {
    static final long MAP = 0xc000010000L;
    static final long DIR = 0xc000020000L;
    static final long TABLES = 0xc000030000L;

    /** Map header: used, seed, dirPtr, dirLen, globalDepth. */
    static SyntheticMemory map(SyntheticMemory m, long used, long seed, long dirPtr, long dirLen, int depth) {
        return m.zero(MAP, 48).u64(MAP, used).u64(MAP + 8, seed).u64(MAP + 16, dirPtr).u64(MAP + 24, dirLen)
                .u8(MAP + 32, depth).u8(MAP + 33, 64 - depth);
    }

    static SyntheticMemory table(SyntheticMemory m, long at, int used, int capacity, int localDepth) {
        return m.zero(at, 32).u16(at, used).u16(at + 2, capacity).u8(at + 6, localDepth);
    }

    @Test
    void smallMapIsOneGroup() throws IOException {
        SyntheticMemory m = map(new SyntheticMemory(), 5, 0x1234, 0xc000040000L, 0, 0);
        assertEquals(Optional.of(new MapHeader(5, 0, 0, 0x1234)), SwissLayout.INSTANCE.read(m, MAP));
    }

    @Test
    void singleTableGivesLog2OfItsGroups() throws IOException {
        // one table of 128 slots = 16 groups → B 4
        SyntheticMemory m = map(new SyntheticMemory(), 100, 77, DIR, 1, 0);
        m.u64(DIR, TABLES);
        table(m, TABLES, 100, 128, 0);
        assertEquals(Optional.of(new MapHeader(100, 4, 0, 77)), SwissLayout.INSTANCE.read(m, MAP));
    }

    @Test
    void directoryEntriesSharingATableCountItOnce() throws IOException {
        // globalDepth 2: 4 entries; table A (localDepth 1) fills entries 0-1, B and C one each; 1024 slots each
        SyntheticMemory m = map(new SyntheticMemory(), 2500, 9, DIR, 4, 2);
        long a = TABLES;
        long b = TABLES + 64;
        long c = TABLES + 128;
        m.u64(DIR, a).u64(DIR + 8, a).u64(DIR + 16, b).u64(DIR + 24, c);
        table(m, a, 900, 1024, 1);
        table(m, b, 800, 1024, 2);
        table(m, c, 800, 1024, 2);
        // 3072 slots = 384 groups → floor(log2) = 8
        assertEquals(Optional.of(new MapHeader(2500, 8, 0, 9)), SwissLayout.INSTANCE.read(m, MAP));
    }

    @Test
    void implausibleHeadersReadAsVanished() throws IOException {
        // dirLen not 2^globalDepth
        assertEquals(Optional.empty(), SwissLayout.INSTANCE.read(map(new SyntheticMemory(), 1, 1, DIR, 3, 2), MAP));
        // small map claiming more than a group holds
        assertEquals(Optional.empty(),
                SwissLayout.INSTANCE.read(map(new SyntheticMemory(), 9, 1, 0xc000040000L, 0, 0), MAP));
        // more used than slots
        SyntheticMemory m = map(new SyntheticMemory(), 200, 1, DIR, 1, 0);
        m.u64(DIR, TABLES);
        table(m, TABLES, 200, 128, 0);
        assertEquals(Optional.empty(), SwissLayout.INSTANCE.read(m, MAP));
        // a nil table in the directory
        SyntheticMemory n = map(new SyntheticMemory(), 1, 1, DIR, 1, 0);
        n.u64(DIR, 0);
        assertEquals(Optional.empty(), SwissLayout.INSTANCE.read(n, MAP));
    }

    @Test
    void unreadableMemoryThrows() {
        assertThrows(IOException.class, () -> SwissLayout.INSTANCE.read(new SyntheticMemory(), MAP));
    }

    @Test
    void probesTheSwissGrowthFunctionsWithTheMapArgument() {
        var points = SwissLayout.INSTANCE.probePoints();
        assertTrue(points.contains(new MapLayout.ProbePoint("internal/runtime/maps.(*table).rehash", 2)));
        assertTrue(points.contains(new MapLayout.ProbePoint("internal/runtime/maps.(*Map).growToTable", 0)));
    }
}
