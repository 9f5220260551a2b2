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
    void notAnElfAtAll() {
        assertThrows(ElfFile.NotElfException.class, () -> ElfFile.of(java.nio.file.Path.of("x"), new byte[128]));
    }
}
