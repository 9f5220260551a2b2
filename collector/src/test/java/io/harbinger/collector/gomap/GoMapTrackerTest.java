package io.harbinger.collector.gomap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Change detection, reused addresses, vanished maps and the bound, as timelines over synthetic memory. */
class GoMapTrackerTest {
    static final long A = 0xc000010000L;
    static final long B = 0xc000020000L;

    record Change(long addr, long count, int b, boolean reused) {}

    final List<Change> changes = new ArrayList<>();
    final GoMapTracker.ChangeListener listener = (pid, addr, h, reused) ->
            changes.add(new Change(addr, h.count(), h.log2Buckets(), reused));

    static void hmap(SyntheticMemory m, long at, long count, int b, long hash0) {
        m.zero(at, 48).u64(at, count).u8(at + 9, b).u32(at + 12, hash0).u64(at + 16, 0xc000900000L);
    }

    @Test
    void reportsFirstSightThenOnlyChanges() {
        SyntheticMemory m = new SyntheticMemory();
        hmap(m, A, 100, 4, 7);
        GoMapTracker t = new GoMapTracker(10);
        t.discovered(1, A);
        t.poll(1, m, HmapLayout.INSTANCE, listener);
        t.poll(1, m, HmapLayout.INSTANCE, listener);
        hmap(m, A, 60, 4, 7); // deletions: same B, fewer entries
        t.poll(1, m, HmapLayout.INSTANCE, listener);
        assertEquals(List.of(new Change(A, 100, 4, false), new Change(A, 60, 4, false)), changes);
    }

    @Test
    void aNewSeedAtAKnownAddressIsANewMap() {
        SyntheticMemory m = new SyntheticMemory();
        hmap(m, A, 100, 4, 7);
        GoMapTracker t = new GoMapTracker(10);
        t.discovered(1, A);
        t.poll(1, m, HmapLayout.INSTANCE, listener);
        hmap(m, A, 100, 4, 8);
        t.poll(1, m, HmapLayout.INSTANCE, listener);
        assertEquals(new Change(A, 100, 4, true), changes.get(1));
        assertEquals(1, t.reusedAddresses());
    }

    @Test
    void dropsMapsWhoseMemoryNoLongerReadsAsAMap() {
        SyntheticMemory m = new SyntheticMemory();
        hmap(m, A, 100, 4, 7);
        GoMapTracker t = new GoMapTracker(10);
        t.discovered(1, A);
        t.discovered(1, B); // never readable
        t.poll(1, m, HmapLayout.INSTANCE, listener);
        assertEquals(1, t.tracked());
        m.u64(A, -5); // garbage
        t.poll(1, m, HmapLayout.INSTANCE, listener);
        assertEquals(0, t.tracked());
        assertEquals(2, t.vanished());
    }

    @Test
    void staysWithinItsBoundAndForgetsExitedProcesses() {
        GoMapTracker t = new GoMapTracker(3);
        for (int i = 0; i < 10; i++) {
            t.discovered(1, A + 64L * i);
        }
        t.discovered(2, B);
        assertEquals(3, t.tracked());
        assertEquals(8, t.evicted());
        t.forget(1);
        assertEquals(1, t.tracked());
    }
}
