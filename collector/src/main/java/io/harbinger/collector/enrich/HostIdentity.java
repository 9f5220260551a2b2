package io.harbinger.collector.enrich;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host name events carry: configured, else the kernel's (no DNS lookup). */
public final class HostIdentity {
    private HostIdentity() {}

    public static String resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env != null && !env.isBlank() ? env : "localhost";
    }
}
