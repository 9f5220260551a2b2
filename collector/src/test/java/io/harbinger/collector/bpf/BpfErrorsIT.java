package io.harbinger.collector.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real libbpf failures become one line each. */
class BpfErrorsIT {
    @TempDir
    Path dir;

    @Test
    void verifierRejectionIsOneLineNamingTheVerifier() throws Exception {
        Path obj = dir.resolve("verifier_reject.bpf.o");
        Process cc = new ProcessBuilder("clang", "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_x86",
                "-I", Path.of("target/bpf-gen").toAbsolutePath().toString(),
                "-c", Path.of("src/test/bpf/verifier_reject.bpf.c").toAbsolutePath().toString(),
                "-o", obj.toString()).inheritIO().start();
        assertTrue(cc.waitFor(120, TimeUnit.SECONDS) && cc.exitValue() == 0, "clang");

        Bpf bpf = Preflight.check();
        try (BpfObject o = BpfObject.open(bpf, "verifier_reject.bpf.o", obj)) {
            BpfException e = assertThrows(BpfException.class, o::load);
            assertTrue(e.getMessage().startsWith(
                    "failed to load BPF object verifier_reject.bpf.o: verifier rejected a program"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void aMissingObjectFileIsOneLine() {
        Bpf bpf = Preflight.check();
        BpfException e = assertThrows(BpfException.class,
                () -> BpfObject.open(bpf, "nope.bpf.o", dir.resolve("nope.bpf.o")));
        assertTrue(e.getMessage().startsWith("failed to open BPF object nope.bpf.o: No such file or directory"),
                e.getMessage());
    }

    @Test
    void aBadUprobeTargetIsOneLine() throws Exception {
        Bpf bpf = Preflight.check();
        Path notElf = Files.writeString(dir.resolve("not-elf"), "hello");
        try (BpfObject o = BpfObject.openResource(bpf, "gomap.bpf.o")) {
            o.load();
            BpfException e = assertThrows(BpfException.class,
                    () -> o.attachUprobe("go_grow_arg1", -1, "/nonexistent/binary", 0x1000));
            assertTrue(e.getMessage().startsWith("failed to attach uprobe go_grow_arg1 to /nonexistent/binary+0x1000"),
                    e.getMessage());
            assertEquals(1, List.of(e.getMessage().split("\n")).size());
        }
    }
}
