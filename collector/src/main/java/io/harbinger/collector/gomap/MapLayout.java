package io.harbinger.collector.gomap;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * How one family of Go runtimes lays out a map header, and where it grows maps (the probe points).
 * Chosen per binary by {@link #select(GoVersion, ElfFile)}; anything unknown is refused.
 */
public sealed interface MapLayout permits HmapLayout, SwissLayout {

    /** A growth function and which register argument (Go ABIInternal order) holds the map header. */
    record ProbePoint(String symbol, int argSlot) {}

    String name();

    /** Growth functions to probe; the first that exists in the binary is required, the rest optional. */
    List<ProbePoint> probePoints();

    /**
     * Reads the header at addr; empty when the memory there no longer holds a plausible map (freed and reused).
     * Throws when the memory cannot be read at all (unmapped, process gone).
     */
    Optional<MapHeader> read(MemoryReader mem, long addr) throws IOException;

    /** The layout for a binary; throws {@link UnsupportedGoException} with one line for anything unknown. */
    static MapLayout select(GoVersion v, ElfFile elf) {
        boolean hmap = elf.symbol("runtime.hashGrow").isPresent();
        if (!v.atLeast(1, 17) || v.major() != 1) {
            throw new UnsupportedGoException("unsupported Go map layout for " + v
                    + ": supported are go1.17-go1.23 (hmap) and go1.24-go1.25 (Swiss tables)"
                    + (v.major() == 1 && !v.atLeast(1, 17) ? "; before go1.17 arguments are passed on the stack" : ""));
        }
        if (hmap && !v.atLeast(1, 26)) {
            // go1.24/1.25 built with GOEXPERIMENT=noswissmap keep the classic hmap
            return HmapLayout.INSTANCE;
        }
        if (v.atLeast(1, 24) && !v.atLeast(1, 26)) {
            return SwissLayout.INSTANCE;
        }
        throw new UnsupportedGoException("unsupported Go map layout for " + v
                + ": supported are go1.17-go1.23 (hmap) and go1.24-go1.25 (Swiss tables)");
    }

    /** The binary's Go runtime is one whose map layout we do not know. */
    final class UnsupportedGoException extends RuntimeException {
        public UnsupportedGoException(String message) {
            super(message);
        }
    }
}
