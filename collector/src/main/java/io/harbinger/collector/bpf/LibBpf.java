package io.harbinger.collector.bpf;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/**
 * The slice of libbpf 1.x (libbpf.so.1) the collector uses, bound through jnr-ffi.
 * libbpf 1.x reports failures as NULL or a negative errno and sets errno; {@link SaveError} keeps it for
 * {@link Bpf#lastError()}.
 */
public interface LibBpf {
    int LIBBPF_WARN = 0;
    int LIBBPF_INFO = 1;
    int LIBBPF_DEBUG = 2;

    /** {@code libbpf_print_fn_t}: the va_list arrives as a pointer and is formatted with vsnprintf. */
    interface PrintFn {
        @Delegate
        int print(int level, Pointer format, Pointer vaList);
    }

    /**
     * {@code ring_buffer_sample_fn}. The record pointer is taken as a raw 64-bit address so the hot path
     * allocates no Pointer object per event.
     */
    interface SampleFn {
        @Delegate
        int sample(Pointer ctx, long data, @size_t long size);
    }

    Pointer libbpf_set_print(PrintFn fn);

    @SaveError
    Pointer bpf_object__open_file(String path, Pointer opts);

    @SaveError
    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    int bpf_map__fd(Pointer map);

    int bpf_map__set_max_entries(Pointer map, int maxEntries);

    Pointer bpf_map__initial_value(Pointer map, Pointer sizeOut);

    int bpf_program__set_autoload(Pointer prog, boolean autoload);

    @SaveError
    Pointer bpf_program__attach(Pointer prog);

    @SaveError
    Pointer bpf_program__attach_uprobe(Pointer prog, boolean retprobe, int pid, String binaryPath,
                                       @size_t long funcOffset);

    int bpf_program__fd(Pointer prog);

    /** {@code struct bpf_test_run_opts} as libbpf 1.x lays it out (80 bytes on 64-bit). */
    int TEST_RUN_OPTS_SIZE = 80;
    int TEST_RUN_OPTS_RETVAL = 56;
    int TEST_RUN_OPTS_FLAGS = 68;
    int TEST_RUN_OPTS_CPU = 72;
    int BPF_F_TEST_RUN_ON_CPU = 1;

    @SaveError
    int bpf_prog_test_run_opts(int progFd, Pointer opts);

    int bpf_link__destroy(Pointer link);

    @SaveError
    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    @SaveError
    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    @SaveError
    Pointer ring_buffer__new(int mapFd, SampleFn sample, Pointer ctx, Pointer opts);

    int ring_buffer__poll(Pointer rb, int timeoutMs);

    int ring_buffer__consume(Pointer rb);

    void ring_buffer__free(Pointer rb);

    int libbpf_num_possible_cpus();

    /** Loads libbpf.so.1; throws {@link BpfException} with one line when it is not installed. */
    static LibBpf load() {
        try {
            return LibraryLoader.create(LibBpf.class).failImmediately().load("bpf");
        } catch (LinkageError | RuntimeException e) {
            try {
                return LibraryLoader.create(LibBpf.class).failImmediately().load("libbpf.so.1");
            } catch (LinkageError | RuntimeException e2) {
                throw new BpfException("libbpf missing: cannot load libbpf.so.1 (install the libbpf1 package): "
                        + e2.getMessage());
            }
        }
    }
}
