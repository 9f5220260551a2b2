package io.harbinger.collector.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyscallKeyCacheTest {
    final List<String> serialized = new ArrayList<>();
    final SyscallKeyCache cache = new SyscallKeyCache((comm, syscall) -> {
        serialized.add(comm + "/" + syscall);
        return (comm + "|" + syscall).getBytes(StandardCharsets.UTF_8);
    });

    @Test
    void serializesEachPairOnceAndReturnsTheSameEntry() {
        String postgres = "postgres";
        SyscallKeyCache.Entry a = cache.get(postgres, 0, "read");
        assertSame(a, cache.get(postgres, 0, "read"));
        SyscallKeyCache.Entry b = cache.get(postgres, 1, "write");
        assertArrayEquals("postgres|write".getBytes(StandardCharsets.UTF_8), b.key());
        assertArrayEquals("write".getBytes(StandardCharsets.UTF_8), b.syscallUtf8());
        assertArrayEquals("postgres".getBytes(StandardCharsets.UTF_8), b.commUtf8());
        assertEquals(List.of("postgres/read", "postgres/write"), serialized);
    }

    @Test
    void anEqualCommInAnotherStringGetsAnEqualEntry() {
        SyscallKeyCache.Entry a = cache.get(new String("nginx"), 0, "read");
        SyscallKeyCache.Entry b = cache.get(new String("nginx"), 0, "read");
        assertArrayEquals(a.key(), b.key());
    }

    @Test
    void staysCorrectPastItsCapacity() {
        List<String> comms = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            comms.add("c" + i);
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < comms.size(); i++) {
                SyscallKeyCache.Entry e = cache.get(comms.get(i), i % 7, "s" + (i % 7));
                assertArrayEquals(("c" + i + "|s" + (i % 7)).getBytes(StandardCharsets.UTF_8), e.key());
            }
        }
    }

    @Test
    void longNamesAreBounded() {
        String longComm = "x".repeat(1000);
        assertEquals(256, cache.get(longComm, 0, "read").commUtf8().length);
    }
}
