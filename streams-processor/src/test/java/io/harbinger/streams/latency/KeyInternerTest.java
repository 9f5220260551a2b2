package io.harbinger.streams.latency;

import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyInternerTest {

    static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsTheRememberedInstanceByContentOnly() {
        KeyInterner keys = new KeyInterner(1000);
        assertNull(keys.find(key("host-1/postgres/read")));
        Bytes first = keys.add(Bytes.wrap(key("host-1/postgres/read")));
        // a fresh array with the same content finds the same instance; others do not
        assertSame(first, keys.find(key("host-1/postgres/read")));
        assertNull(keys.find(key("host-1/postgres/reae")));
        assertNull(keys.find(key("host-1/postgres/rea")));
        assertNull(keys.find(key("host-1/postgres/read ")));
        // adding equal content again keeps the first instance
        assertSame(first, keys.add(Bytes.wrap(key("host-1/postgres/read"))));
        assertEquals(1, keys.size());
    }

    @Test
    void everyLengthAndManyKeysAcrossGrowth() {
        KeyInterner keys = new KeyInterner(100_000);
        List<Bytes> added = new ArrayList<>();
        // lengths 0..40 (short keys take the byte path, long ones the word path with an overlapping last word),
        // keys that differ in one byte anywhere, and enough of them to grow the table many times
        for (int len = 0; len <= 40; len++) {
            for (int v = 0; v < 200; v++) {
                byte[] k = new byte[len];
                if (len > 0) {
                    k[v % len] = (byte) (v / len + 1);
                    k[len - 1] ^= (byte) v;
                }
                if (keys.find(k) == null) {
                    added.add(keys.add(Bytes.wrap(k)));
                }
            }
        }
        Set<Bytes> distinct = new HashSet<>(added);
        assertEquals(distinct.size(), added.size(), "no content added twice");
        assertEquals(added.size(), keys.size());
        for (Bytes b : added) {
            assertSame(b, keys.find(b.get().clone()));
        }
    }

    @Test
    void startsOverPastTheBound() {
        KeyInterner keys = new KeyInterner(3);
        Bytes a = keys.add(Bytes.wrap(key("a")));
        keys.add(Bytes.wrap(key("b")));
        keys.add(Bytes.wrap(key("c")));
        assertSame(a, keys.find(key("a")));
        keys.add(Bytes.wrap(key("d"))); // the fourth: the table starts over with it
        assertNull(keys.find(key("a")));
        assertEquals(1, keys.size());
        Bytes again = keys.add(Bytes.wrap(key("a")));
        assertNotSame(a, again);
        assertEquals(a, again);
    }

    @Test
    void threadsSharingItAgreeOnOneInstancePerKey() throws Exception {
        KeyInterner keys = new KeyInterner(100_000);
        int threads = 4;
        int distinct = 5_000;
        Bytes[][] seen = new Bytes[threads][distinct];
        AtomicInteger failures = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            ts.add(new Thread(() -> {
                for (int round = 0; round < 20; round++) {
                    for (int i = 0; i < distinct; i++) {
                        int k = (i * 7919 + me * 104729) % distinct; // each thread in its own order
                        byte[] data = key("host-" + k + "/comm/syscall");
                        Bytes b = keys.find(data);
                        if (b == null) {
                            b = keys.add(Bytes.wrap(data));
                        }
                        if (!b.equals(Bytes.wrap(data)) || seen[me][k] != null && seen[me][k] != b) {
                            failures.incrementAndGet();
                        }
                        seen[me][k] = b;
                    }
                }
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(0, failures.get());
        assertEquals(distinct, keys.size());
        for (int k = 0; k < distinct; k++) {
            for (int t = 1; t < threads; t++) {
                assertSame(seen[0][k], seen[t][k], "one instance per key across threads");
            }
        }
        assertTrue(keys.size() <= distinct);
    }
}
