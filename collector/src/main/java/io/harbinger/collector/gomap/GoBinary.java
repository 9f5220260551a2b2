package io.harbinger.collector.gomap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Go executable ready to probe: its version, map layout, and the file offsets of its growth functions. */
public record GoBinary(Path path, GoVersion version, MapLayout layout, List<ResolvedProbe> probes) {

    public record ResolvedProbe(String symbol, int argSlot, long fileOffset) {}

    /** Why a binary cannot be probed; the message is one line. */
    public static final class NotProbeableException extends Exception {
        public enum Reason { NOT_GO, STRIPPED, UNSUPPORTED }

        private final Reason reason;

        public NotProbeableException(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    public static GoBinary inspect(Path path) throws IOException, NotProbeableException {
        ElfFile elf;
        try {
            elf = ElfFile.open(path);
        } catch (ElfFile.NotElfException e) {
            throw new NotProbeableException(NotProbeableException.Reason.NOT_GO, "not a Go binary: " + e.getMessage());
        }
        return inspect(elf);
    }

    public static GoBinary inspect(ElfFile elf) throws NotProbeableException {
        Optional<String> v = GoBuildInfo.goVersion(elf);
        if (v.isEmpty()) {
            throw new NotProbeableException(NotProbeableException.Reason.NOT_GO,
                    "not a Go binary: " + elf.path() + " has no Go build info");
        }
        GoVersion version;
        try {
            version = GoVersion.parse(v.get());
        } catch (IllegalArgumentException e) {
            throw new NotProbeableException(NotProbeableException.Reason.UNSUPPORTED,
                    elf.path() + ": " + e.getMessage());
        }
        if (!elf.hasSymbolTable()) {
            throw new NotProbeableException(NotProbeableException.Reason.STRIPPED, "Go binary " + elf.path()
                    + " (" + version + ") is stripped (no .symtab): cannot place map probes; build without -s");
        }
        MapLayout layout;
        try {
            layout = MapLayout.select(version, elf);
        } catch (MapLayout.UnsupportedGoException e) {
            throw new NotProbeableException(NotProbeableException.Reason.UNSUPPORTED, elf.path() + ": " + e.getMessage());
        }
        List<ResolvedProbe> probes = new ArrayList<>();
        for (MapLayout.ProbePoint p : layout.probePoints()) {
            Optional<Long> addr = elf.symbol(p.symbol());
            if (addr.isEmpty()) {
                continue;
            }
            long off = elf.fileOffset(addr.get());
            if (off >= 0) {
                probes.add(new ResolvedProbe(p.symbol(), p.argSlot(), off));
            }
        }
        if (probes.isEmpty()) {
            throw new NotProbeableException(NotProbeableException.Reason.UNSUPPORTED, "Go binary " + elf.path()
                    + " (" + version + ") has none of the map growth functions of the " + layout.name() + " layout");
        }
        return new GoBinary(elf.path(), version, layout, List.copyOf(probes));
    }
}
