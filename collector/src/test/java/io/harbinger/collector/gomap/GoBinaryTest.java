package io.harbinger.collector.gomap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Build info, symbol offsets and the refusals, over synthetic ELF images. */
class GoBinaryTest {

    @Test
    void resolvesVersionLayoutAndProbeOffsets() throws Exception {
        ElfFile elf = TinyElf.symbolsAnd(TinyElf.inlineBuildInfo("go1.19.8"), "main.main", "runtime.hashGrow");
        GoBinary b = GoBinary.inspect(elf);
        assertEquals("go1.19.8", b.version().text());
        assertEquals("hmap", b.layout().name());
        assertEquals(1, b.probes().size());
        GoBinary.ResolvedProbe p = b.probes().get(0);
        assertEquals("runtime.hashGrow", p.symbol());
        assertEquals(1, p.argSlot());
        // symbol 1 sits at .text + 0x100; the offset is .text's file offset + 0x100
        assertEquals(elf.section(".text").orElseThrow().offset() + 0x100, p.fileOffset());
    }

    @Test
    void swissBinariesGetEveryGrowthFunctionPresent() throws Exception {
        ElfFile elf = TinyElf.symbolsAnd(TinyElf.inlineBuildInfo("go1.24.2"),
                "internal/runtime/maps.(*table).rehash", "internal/runtime/maps.(*Map).growToTable");
        GoBinary b = GoBinary.inspect(elf);
        assertEquals("swiss", b.layout().name());
        assertEquals(List.of(2, 0), b.probes().stream().map(GoBinary.ResolvedProbe::argSlot).toList());
    }

    @Test
    void refusesNonGoStrippedAndUnknown() throws Exception {
        var notGo = assertThrows(GoBinary.NotProbeableException.class,
                () -> GoBinary.inspect(TinyElf.withSymbols("main")));
        assertEquals(GoBinary.NotProbeableException.Reason.NOT_GO, notGo.reason());

        ElfFile stripped = ElfFile.of(java.nio.file.Path.of("s"), new TinyElf()
                .section(".go.buildinfo", 1, 0x500000, TinyElf.inlineBuildInfo("go1.19.8"), 0).build());
        var s = assertThrows(GoBinary.NotProbeableException.class, () -> GoBinary.inspect(stripped));
        assertEquals(GoBinary.NotProbeableException.Reason.STRIPPED, s.reason());

        var old = assertThrows(GoBinary.NotProbeableException.class, () -> GoBinary.inspect(
                TinyElf.symbolsAnd(TinyElf.inlineBuildInfo("go1.16.3"), "runtime.hashGrow")));
        assertEquals(GoBinary.NotProbeableException.Reason.UNSUPPORTED, old.reason());
    }

    @Test
    void probesSitOnTheStackCheckJumpWhenTheFunctionStartsWithIt() {
        int x86 = GoBinary.EM_X86_64;
        // runtime.hashGrow of Go 1.19 on amd64: cmp 0x10(%r14),%rsp; jbe rel32; sub $0x38,%rsp
        byte[] rel32 = bytes(0x49, 0x3b, 0x66, 0x10, 0x0f, 0x86, 0xdc, 0x01, 0x00, 0x00, 0x48, 0x83, 0xec, 0x38);
        assertEquals(4, GoBinary.pastStackCheck(x86, rel32));
        assertEquals(4, GoBinary.pastStackCheck(x86, bytes(0x49, 0x3b, 0x66, 0x10, 0x76, 0x2a, 0x55)));
        // a bigger frame starts with lea -N(%rsp),%r12: stay at the entry
        assertEquals(0, GoBinary.pastStackCheck(x86, bytes(0x4c, 0x8d, 0xa4, 0x24, 0x00, 0xff, 0xff, 0xff)));
        // a compare not followed by jbe, too short, and not x86-64 (AArch64 = 183)
        assertEquals(0, GoBinary.pastStackCheck(x86, bytes(0x49, 0x3b, 0x66, 0x10, 0x74, 0x2a)));
        assertEquals(0, GoBinary.pastStackCheck(x86, bytes(0x49, 0x3b, 0x66, 0x10, 0x76)));
        assertEquals(0, GoBinary.pastStackCheck(183, rel32));
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void notAnElfAtAll() {
        assertThrows(ElfFile.NotElfException.class, () -> ElfFile.of(java.nio.file.Path.of("x"), new byte[128]));
    }
}
