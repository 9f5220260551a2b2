package io.harbinger.collector.gomap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Just enough of a 64-bit little-endian ELF reader: sections, the symbol table, address → file offset. */
public final class ElfFile {
    private static final int SHT_SYMTAB = 2;

    public record Section(String name, int type, long addr, long offset, long size, int link) {}

    private final Path path;
    private final ByteBuffer data;
    private final Section[] sections;
    private Map<String, Long> symbols;

    private ElfFile(Path path, ByteBuffer data) throws IOException {
        this.path = path;
        this.data = data.order(ByteOrder.LITTLE_ENDIAN);
        if (data.limit() < 64 || data.getInt(0) != 0x464c457f) {
            throw new NotElfException(path + " is not an ELF file");
        }
        if (data.get(4) != 2 || data.get(5) != 1) {
            throw new NotElfException(path + " is not a 64-bit little-endian ELF file");
        }
        long shoff = data.getLong(0x28);
        int shentsize = Short.toUnsignedInt(data.getShort(0x3A));
        int shnum = Short.toUnsignedInt(data.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(data.getShort(0x3E));
        if (shoff <= 0 || shoff + (long) shnum * shentsize > data.limit() || shstrndx >= shnum) {
            throw new NotElfException(path + " has no readable section headers");
        }
        long[] nameOff = new long[shnum];
        sections = new Section[shnum];
        for (int i = 0; i < shnum; i++) {
            int b = (int) (shoff + (long) i * shentsize);
            nameOff[i] = Integer.toUnsignedLong(data.getInt(b));
            sections[i] = new Section(null, data.getInt(b + 4), data.getLong(b + 0x10), data.getLong(b + 0x18),
                    data.getLong(b + 0x20), data.getInt(b + 0x28));
        }
        long strtab = sections[shstrndx].offset();
        for (int i = 0; i < shnum; i++) {
            Section s = sections[i];
            sections[i] = new Section(cString(strtab + nameOff[i]), s.type(), s.addr(), s.offset(), s.size(), s.link());
        }
    }

    public static ElfFile open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            return new ElfFile(path, buf);
        }
    }

    /** For tests: an ELF image in memory. */
    public static ElfFile of(Path name, byte[] image) throws IOException {
        return new ElfFile(name, ByteBuffer.wrap(image));
    }

    public Path path() {
        return path;
    }

    public Optional<Section> section(String name) {
        for (Section s : sections) {
            if (name.equals(s.name())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public boolean hasSymbolTable() {
        for (Section s : sections) {
            if (s.type() == SHT_SYMTAB) {
                return true;
            }
        }
        return false;
    }

    /** Symbol value (virtual address) by exact name, from .symtab. */
    public synchronized Optional<Long> symbol(String name) {
        if (symbols == null) {
            symbols = readSymbols();
        }
        return Optional.ofNullable(symbols.get(name));
    }

    private Map<String, Long> readSymbols() {
        Map<String, Long> out = new HashMap<>();
        for (Section s : sections) {
            if (s.type() != SHT_SYMTAB) {
                continue;
            }
            long strOff = sections[s.link()].offset();
            for (long p = s.offset(); p + 24 <= s.offset() + s.size(); p += 24) {
                int nameIdx = data.getInt((int) p);
                int info = data.get((int) p + 4) & 0xff;
                long value = data.getLong((int) p + 8);
                if ((info & 0xf) == 2 /* STT_FUNC */ && value != 0 && nameIdx != 0) {
                    out.putIfAbsent(cString(strOff + Integer.toUnsignedLong(nameIdx)), value);
                }
            }
        }
        return out;
    }

    /** File offset of a virtual address, through the section that holds it; -1 when none does. */
    public long fileOffset(long vaddr) {
        for (Section s : sections) {
            if (s.addr() != 0 && vaddr >= s.addr() && vaddr < s.addr() + s.size() && s.type() != 8 /* NOBITS */) {
                return s.offset() + (vaddr - s.addr());
            }
        }
        return -1;
    }

    public byte[] bytes(long offset, int length) {
        if (offset < 0 || offset + length > data.limit()) {
            throw new IndexOutOfBoundsException("read past the end of " + path);
        }
        byte[] out = new byte[length];
        data.get((int) offset, out);
        return out;
    }

    public long size() {
        return data.limit();
    }

    /** e_machine: 62 = x86-64, 183 = AArch64. */
    public int machine() {
        return Short.toUnsignedInt(data.getShort(0x12));
    }

    public long u64(long offset) {
        return data.getLong((int) offset);
    }

    private String cString(long off) {
        int start = (int) off;
        int end = start;
        while (end < data.limit() && data.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - start];
        data.get(start, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The file is not a (64-bit LE) ELF binary. */
    public static final class NotElfException extends IOException {
        public NotElfException(String message) {
            super(message);
        }
    }
}
