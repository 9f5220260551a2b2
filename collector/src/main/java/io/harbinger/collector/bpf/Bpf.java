package io.harbinger.collector.bpf;

import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Process-wide libbpf handle: loads the library once and installs the log router before any object is opened.
 */
public final class Bpf {
    private static volatile Bpf instance;

    private final LibBpf lib;
    private final LibC libc;
    private final Runtime runtime;
    private final LibbpfLog log;

    private Bpf(LibBpf lib, LibC libc) {
        this.lib = lib;
        this.libc = libc;
        this.runtime = Runtime.getRuntime(lib);
        this.log = new LibbpfLog(libc, runtime);
        lib.libbpf_set_print(log);
    }

    public static Bpf get() {
        Bpf b = instance;
        if (b == null) {
            synchronized (Bpf.class) {
                b = instance;
                if (b == null) {
                    b = new Bpf(LibBpf.load(), LibC.load());
                    instance = b;
                }
            }
        }
        return b;
    }

    public LibBpf lib() {
        return lib;
    }

    public LibC libc() {
        return libc;
    }

    public Runtime runtime() {
        return runtime;
    }

    public LibbpfLog log() {
        return log;
    }

    /** errno saved by the last {@code @SaveError} call on this thread. */
    public int lastError() {
        return LastError.getLastError(runtime);
    }

    public Pointer allocate(int bytes) {
        return Memory.allocateDirect(runtime, bytes, true);
    }

    public int possibleCpus() {
        return lib.libbpf_num_possible_cpus();
    }

    /** errno as text, e.g. "Operation not permitted (errno 1)". */
    public static String describeErrno(int errno) {
        int e = Math.abs(errno);
        Bpf b = instance;
        String text = b != null ? b.libc.strerror(e) : null;
        return (text != null ? text : "error") + " (errno " + e + ")";
    }
}
