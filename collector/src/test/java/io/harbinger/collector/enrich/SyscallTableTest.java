package io.harbinger.collector.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SyscallTableTest {
    @Test
    void x86_64() {
        SyscallTable t = SyscallTable.forArch("amd64");
        assertEquals("read", t.name(0));
        assertEquals("getppid", t.name(110));
        assertEquals("openat", t.name(257));
        assertEquals("clock_nanosleep", t.name(230));
        assertEquals("mseal", t.name(462));
        assertEquals("sys_999", t.name(999));
        assertEquals(257, t.number("openat"));
    }

    @Test
    void arm64UsesTheGenericTable() {
        SyscallTable t = SyscallTable.forArch("aarch64");
        assertEquals("openat", t.name(56));
        assertEquals("getppid", t.name(173));
        assertEquals("clock_nanosleep", t.name(115));
    }

    @Test
    void unknownArchitectureIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SyscallTable.forArch("riscv64"));
    }
}
