package io.harbinger.collector.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks what loading needs before libbpf is touched, so each missing piece gets one clear line:
 * privileges, kernel BTF, tracefs (mounted when missing and we may), libbpf itself.
 */
public final class Preflight {
    static final int CAP_DAC_OVERRIDE = 1;
    static final int CAP_DAC_READ_SEARCH = 2;
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_SYS_PTRACE = 19;
    static final int CAP_PERFMON = 38;
    static final int CAP_BPF = 39;

    private Preflight() {}

    /** Runs every check; returns the libbpf handle when all pass. */
    public static Bpf check() {
        checkPrivileges(effectiveCapabilities());
        checkBtf(Path.of("/sys/kernel/btf/vmlinux"));
        ensureTracefs();
        return Bpf.get();
    }

    static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    static void checkPrivileges(long capEff) {
        boolean admin = has(capEff, CAP_SYS_ADMIN);
        boolean bpf = admin || has(capEff, CAP_BPF);
        boolean perfmon = admin || has(capEff, CAP_PERFMON);
        if (!bpf || !perfmon) {
            throw new BpfException("not permitted to load eBPF: run as root or grant CAP_BPF and CAP_PERFMON "
                    + "(missing " + (!bpf ? "CAP_BPF" : "CAP_PERFMON") + ")");
        }
    }

    /**
     * What watching Go maps needs beyond loading eBPF, as measured on kernel 6.18 (CapabilitiesIT): creating the
     * growth uprobes' perf events is refused (EACCES) with CAP_PERFMON alone and needs CAP_SYS_ADMIN; reading a
     * process's map headers needs CAP_SYS_PTRACE (the ptrace access check on /proc/PID/mem) and CAP_DAC_READ_SEARCH
     * (the file is mode 0600, owned by the target's user). Without them the uprobes or reads fail per process and no
     * map is ever reported, so this fails at start with one line instead.
     */
    public static void checkGoMapPrivileges() {
        checkGoMapPrivileges(effectiveCapabilities());
    }

    static void checkGoMapPrivileges(long capEff) {
        String missing = !has(capEff, CAP_SYS_ADMIN) ? "CAP_SYS_ADMIN"
                : !has(capEff, CAP_SYS_PTRACE) ? "CAP_SYS_PTRACE"
                : !has(capEff, CAP_DAC_READ_SEARCH) && !has(capEff, CAP_DAC_OVERRIDE) ? "CAP_DAC_READ_SEARCH" : null;
        if (missing != null) {
            throw new BpfException("not permitted to watch Go maps: run as root, grant CAP_SYS_ADMIN (uprobes), "
                    + "CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (/proc/PID/mem), or turn Go maps off (missing "
                    + missing + ")");
        }
    }

    static boolean has(long caps, int cap) {
        return (caps & (1L << cap)) != 0;
    }

    static void checkBtf(Path vmlinux) {
        if (!Files.isReadable(vmlinux)) {
            throw new BpfException("no kernel BTF: " + vmlinux + " is missing (a kernel built with "
                    + "CONFIG_DEBUG_INFO_BTF=y is needed for CO-RE)");
        }
    }

    /**
     * tracefs is needed by uprobes on kernels without the perf uprobe PMU; mount it when we can. With the PMU (sysfs,
     * world-readable) libbpf never touches tracefs, and the syscall probe is tp_btf/raw_tp: so a collector that is
     * not root needs no access to tracefs (mode 0700 on most hosts) and no CAP_DAC_READ_SEARCH.
     */
    static void ensureTracefs() {
        if (Files.isReadable(Path.of("/sys/bus/event_source/devices/uprobe/type"))
                || Files.isDirectory(Path.of("/sys/kernel/tracing/events"))
                || Files.isDirectory(Path.of("/sys/kernel/debug/tracing/events"))) {
            return;
        }
        try {
            Process p = new ProcessBuilder("mount", "-t", "tracefs", "tracefs", "/sys/kernel/tracing")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0 && Files.isDirectory(Path.of("/sys/kernel/tracing/events"))) {
                return;
            }
        } catch (IOException e) {
            // fall through to the error
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new BpfException("tracefs missing: mount it with 'mount -t tracefs tracefs /sys/kernel/tracing'");
    }
}
