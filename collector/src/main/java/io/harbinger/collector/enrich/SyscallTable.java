package io.harbinger.collector.enrich;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Syscall number → name for one architecture (x86_64, aarch64); unknown numbers read {@code sys_NR}. */
public final class SyscallTable {
    private static final int SIZE = 1024;
    private final String arch;
    private final String[] names = new String[SIZE];

    private SyscallTable(String arch) {
        this.arch = arch;
        for (int i = 0; i < SIZE; i++) {
            names[i] = "sys_" + i;
        }
    }

    /** The table for the JVM's architecture. */
    public static SyscallTable forHost() {
        return forArch(System.getProperty("os.arch"));
    }

    public static SyscallTable forArch(String osArch) {
        String arch = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> throw new IllegalArgumentException("no syscall table for architecture " + osArch
                    + " (supported: x86_64, aarch64)");
        };
        SyscallTable t = new SyscallTable(arch);
        try (InputStream in = SyscallTable.class.getResourceAsStream("/syscalls/" + arch + ".txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                int nr = Integer.parseInt(line.substring(0, sp));
                if (nr >= 0 && nr < SIZE) {
                    t.names[nr] = line.substring(sp + 1).trim();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return t;
    }

    public String arch() {
        return arch;
    }

    public String name(int nr) {
        return nr >= 0 && nr < SIZE ? names[nr] : "sys_" + nr;
    }

    /** The number of a syscall name, or -1. */
    public int number(String name) {
        for (int i = 0; i < SIZE; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
