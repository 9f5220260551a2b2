package io.harbinger.collector.gomap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The classic hmap reader (Go ≤ 1.23) over synthetic memory. */
class HmapLayoutTest {
    static final long H = 0xc00007a000L;

    static SyntheticMemory hmap(long count, int flags, int b, int noverflow, long hash0, long buckets) {
        return new SyntheticMemory().zero(H, 48).u64(H, count).u8(H + 8, flags).u8(H + 9, b).u16(H + 10, noverflow)
                .u32(H + 12, hash0).u64(H + 16, buckets);
    }

    @Test
    void readsCountBOverflowAndSeed() throws IOException {
        assertEquals(Optional.of(new MapHeader(70_000, 14, 321, 0xdeadbeefL)),
                HmapLayout.INSTANCE.read(hmap(70_000, 0, 14, 321, 0xdeadbeefL, 0xc000100000L), H));
    }

    @Test
    void rejectsWhatCannotBeALiveMap() throws IOException {
        // more entries than 2^B buckets can hold
        assertEquals(Optional.empty(), HmapLayout.INSTANCE.read(hmap(1_000_000, 0, 4, 0, 1, 0xc000100000L), H));
        // entries but no buckets
        assertEquals(Optional.empty(), HmapLayout.INSTANCE.read(hmap(10, 0, 1, 0, 1, 0), H));
        // undefined flag bits
        assertEquals(Optional.empty(), HmapLayout.INSTANCE.read(hmap(10, 0x80, 1, 0, 1, 0xc000100000L), H));
        // negative count
        assertEquals(Optional.empty(), HmapLayout.INSTANCE.read(hmap(-1, 0, 1, 0, 1, 0xc000100000L), H));
    }
}
