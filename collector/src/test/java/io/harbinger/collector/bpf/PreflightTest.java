package io.harbinger.collector.bpf;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The privilege and BTF checks give one line each. */
class PreflightTest {
    static long caps(int... bits) {
        long c = 0;
        for (int b : bits) {
            c |= 1L << b;
        }
        return c;
    }

    @Test
    void rootOrBpfPlusPerfmonIsEnough() {
        assertDoesNotThrow(() -> Preflight.checkPrivileges(caps(Preflight.CAP_SYS_ADMIN)));
        assertDoesNotThrow(() -> Preflight.checkPrivileges(caps(Preflight.CAP_BPF, Preflight.CAP_PERFMON)));
    }

    @Test
    void missingCapabilitiesAreNamed() {
        BpfException none = assertThrows(BpfException.class, () -> Preflight.checkPrivileges(0));
        assertTrue(none.getMessage().startsWith("not permitted to load eBPF: run as root or grant CAP_BPF"));
        BpfException noPerfmon = assertThrows(BpfException.class,
                () -> Preflight.checkPrivileges(caps(Preflight.CAP_BPF)));
        assertTrue(noPerfmon.getMessage().contains("missing CAP_PERFMON"), noPerfmon.getMessage());
    }

    @Test
    void goMapsNeedSysAdminPtraceAndDacReadSearch() {
        assertDoesNotThrow(() -> Preflight.checkGoMapPrivileges(caps(Preflight.CAP_SYS_ADMIN, Preflight.CAP_SYS_PTRACE,
                Preflight.CAP_DAC_READ_SEARCH)));
        assertDoesNotThrow(() -> Preflight.checkGoMapPrivileges(caps(Preflight.CAP_SYS_ADMIN, Preflight.CAP_SYS_PTRACE,
                Preflight.CAP_DAC_OVERRIDE)));
        BpfException noAdmin = assertThrows(BpfException.class, () -> Preflight.checkGoMapPrivileges(
                caps(Preflight.CAP_BPF, Preflight.CAP_PERFMON, Preflight.CAP_SYS_PTRACE, Preflight.CAP_DAC_READ_SEARCH)));
        assertTrue(noAdmin.getMessage().endsWith("(missing CAP_SYS_ADMIN)"), noAdmin.getMessage());
        BpfException noDac = assertThrows(BpfException.class, () -> Preflight.checkGoMapPrivileges(
                caps(Preflight.CAP_SYS_ADMIN, Preflight.CAP_SYS_PTRACE)));
        assertTrue(noDac.getMessage().endsWith("(missing CAP_DAC_READ_SEARCH)"), noDac.getMessage());
    }

    @Test
    void missingBtfIsNamed() {
        BpfException e = assertThrows(BpfException.class, () -> Preflight.checkBtf(Path.of("/nonexistent/vmlinux")));
        assertTrue(e.getMessage().startsWith("no kernel BTF: /nonexistent/vmlinux is missing"));
    }
}
