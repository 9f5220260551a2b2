package io.harbinger.collector.gomap;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the Go version from a binary's build info ({@code .go.buildinfo}, as {@code go version FILE} does):
 * a 32-byte header "\xff Go buildinf:", pointer size, flags; Go ≥ 1.18 stores the version inline as a
 * varint-prefixed string (flag bit 2), older ones as pointers to a Go string header.
 */
public final class GoBuildInfo {
    static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);

    private GoBuildInfo() {}

    public static Optional<String> goVersion(ElfFile elf) {
        long off = elf.section(".go.buildinfo").map(ElfFile.Section::offset).orElse(-1L);
        if (off < 0 || off + 32 > elf.size()) {
            return Optional.empty();
        }
        byte[] hdr = elf.bytes(off, 32);
        for (int i = 0; i < MAGIC.length; i++) {
            if (hdr[i] != MAGIC[i]) {
                return Optional.empty();
            }
        }
        int ptrSize = hdr[14];
        int flags = hdr[15];
        if ((flags & 2) != 0) {
            return Optional.of(varintString(elf, off + 32));
        }
        if (ptrSize != 8) {
            return Optional.empty();
        }
        long strHeader = elf.fileOffset(elf.u64(off + 16));
        if (strHeader < 0) {
            return Optional.empty();
        }
        long dataAddr = elf.u64(strHeader);
        long len = elf.u64(strHeader + 8);
        long dataOff = elf.fileOffset(dataAddr);
        if (dataOff < 0 || len <= 0 || len > 64) {
            return Optional.empty();
        }
        return Optional.of(new String(elf.bytes(dataOff, (int) len), StandardCharsets.UTF_8));
    }

    private static String varintString(ElfFile elf, long off) {
        long len = 0;
        int shift = 0;
        byte[] b = elf.bytes(off, 10);
        int i = 0;
        for (; i < 10; i++) {
            len |= (long) (b[i] & 0x7f) << shift;
            if ((b[i] & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        if (len <= 0 || len > 64) {
            throw new IllegalStateException("corrupt Go build info in " + elf.path());
        }
        return new String(elf.bytes(off + i + 1, (int) len), StandardCharsets.UTF_8);
    }
}
