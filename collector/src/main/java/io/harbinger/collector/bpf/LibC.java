package io.harbinger.collector.bpf;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;

/** The few libc calls the loader needs: formatting libbpf's va_list log lines and clock reads. */
public interface LibC {
    int CLOCK_REALTIME = 0;
    int CLOCK_BOOTTIME = 7;

    int vsnprintf(Pointer buf, @size_t long size, Pointer format, Pointer vaList);

    int clock_gettime(int clockId, Pointer timespec);

    String strerror(int errnum);

    static LibC load() {
        return LibraryLoader.create(LibC.class).failImmediately().load("c");
    }
}
