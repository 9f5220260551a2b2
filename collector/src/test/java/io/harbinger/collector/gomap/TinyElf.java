package io.harbinger.collector.gomap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds minimal ELF64 images (sections only) for tests of {@link ElfFile} and what reads it. */
final class TinyElf {
    static final long TEXT_ADDR = 0x401000;
    static final long TEXT_OFFSET_DELTA = 0x400000; // .text file offset = addr - delta

    private record Sec(String name, int type, long addr, byte[] data, int link) {}

    private final List<Sec> sections = new ArrayList<>();

    TinyElf section(String name, int type, long addr, byte[] data, int link) {
        sections.add(new Sec(name, type, addr, data, link));
        return this;
    }

    /** An ELF with a .text section and function symbols at 0x401000, 0x401100, ... */
    static ElfFile withSymbols(String... names) throws IOException {
        return symbolsAnd(null, names);
    }

    static ElfFile symbolsAnd(byte[] buildInfo, String... names) throws IOException {
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        ByteBuffer symtab = ByteBuffer.allocate(24 * (names.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
        symtab.position(24);
        for (int i = 0; i < names.length; i++) {
            int off = strtab.size();
            strtab.write(names[i].getBytes(StandardCharsets.UTF_8));
            strtab.write(0);
            symtab.putInt(off).put((byte) 0x12).put((byte) 0).putShort((short) 3)
                    .putLong(TEXT_ADDR + 0x100L * i).putLong(16);
        }
        TinyElf e = new TinyElf()
                .section(".strtab", 3, 0, strtab.toByteArray(), 0)
                .section(".symtab", 2, 0, symtab.array(), 1)
                .section(".text", 1, TEXT_ADDR, new byte[0x100 * Math.max(1, names.length)], 0);
        if (buildInfo != null) {
            e.section(".go.buildinfo", 1, 0x500000, buildInfo, 0);
        }
        return ElfFile.of(Path.of("tiny.elf"), e.build());
    }

    /** Go ≥ 1.18 build info: header with flags bit 2, then the varint-prefixed version. */
    static byte[] inlineBuildInfo(String version) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(GoBuildInfo.MAGIC).put((byte) 8).put((byte) 2);
        b.position(32);
        byte[] v = version.getBytes(StandardCharsets.UTF_8);
        b.put((byte) v.length).put(v);
        return b.array();
    }

    /**
     * Layout: ELF header, then section data in order (index 1..n; index n+1 is .shstrtab), then section headers.
     * Section i's file offset is arranged so that sections with an address satisfy offset = addr - delta when
     * possible; otherwise data is simply appended.
     */
    byte[] build() {
        List<Sec> all = new ArrayList<>(sections);
        ByteArrayOutputStream shstr = new ByteArrayOutputStream();
        shstr.write(0);
        int[] nameOff = new int[all.size() + 2];
        for (int i = 0; i < all.size(); i++) {
            nameOff[i + 1] = shstr.size();
            shstr.writeBytes(all.get(i).name().getBytes(StandardCharsets.UTF_8));
            shstr.write(0);
        }
        nameOff[all.size() + 1] = shstr.size();
        shstr.writeBytes(".shstrtab".getBytes(StandardCharsets.UTF_8));
        shstr.write(0);
        all.add(new Sec(".shstrtab", 3, 0, shstr.toByteArray(), 0));

        long[] offsets = new long[all.size()];
        long pos = 64;
        for (int i = 0; i < all.size(); i++) {
            offsets[i] = pos;
            pos += all.get(i).data().length;
        }
        long shoff = (pos + 7) & ~7L;
        int shnum = all.size() + 1;
        ByteBuffer out = ByteBuffer.allocate((int) (shoff + 64L * shnum)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1);
        out.putLong(0x28, shoff).putShort(0x3A, (short) 64).putShort(0x3C, (short) shnum)
                .putShort(0x3E, (short) (shnum - 1));
        for (int i = 0; i < all.size(); i++) {
            Sec s = all.get(i);
            out.put((int) offsets[i], s.data());
            int h = (int) (shoff + 64L * (i + 1));
            out.putInt(h, nameOff[i + 1]).putInt(h + 4, s.type()).putLong(h + 0x10, s.addr())
                    .putLong(h + 0x18, offsets[i]).putLong(h + 0x20, s.data().length).putInt(h + 0x28, s.link());
        }
        return out.array();
    }
}
