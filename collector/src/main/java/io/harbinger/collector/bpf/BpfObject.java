package io.harbinger.collector.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * One eBPF object file, libbpf-tools style: open, adjust (.rodata, map sizes, autoload), load, attach;
 * {@link #close()} detaches every link it made (newest first) and then frees the object.
 */
public final class BpfObject implements AutoCloseable {
    private final Bpf bpf;
    private final LibBpf lib;
    private final String name;
    private final Path file;
    private Pointer obj;
    private boolean loaded;
    private final List<BpfLink> links = new ArrayList<>();

    private BpfObject(Bpf bpf, String name, Path file, Pointer obj) {
        this.bpf = bpf;
        this.lib = bpf.lib();
        this.name = name;
        this.file = file;
        this.obj = obj;
    }

    /** Opens an object packaged in the collector jar under {@code bpf/NAME}. */
    public static BpfObject openResource(Bpf bpf, String resourceName) {
        Path tmp;
        try (InputStream in = BpfObject.class.getResourceAsStream("/bpf/" + resourceName)) {
            if (in == null) {
                throw new BpfException("failed to open BPF object " + resourceName
                        + ": not packaged in the collector jar (was the build's bpf step skipped?)");
            }
            tmp = Files.createTempFile("harbinger-", "-" + resourceName);
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BpfException("failed to open BPF object " + resourceName + ": " + e.getMessage(), e);
        }
        try {
            return open(bpf, resourceName, tmp);
        } finally {
            // libbpf has read the ELF into memory by now
            tmp.toFile().delete();
        }
    }

    public static BpfObject open(Bpf bpf, String name, Path path) {
        bpf.log().drainWarnings();
        Pointer obj = bpf.lib().bpf_object__open_file(path.toString(), null);
        if (obj == null) {
            throw new BpfException("failed to open BPF object " + name + ": "
                    + Bpf.describeErrno(bpf.lastError()) + warnings(bpf));
        }
        return new BpfObject(bpf, name, path, obj);
    }

    public String name() {
        return name;
    }

    /**
     * The object's .rodata, writable between open and load (libbpf maps it). Offsets are those of the C
     * struct the BPF program declares as {@code const volatile}.
     */
    public Pointer rodata() {
        checkOpen();
        if (loaded) {
            throw new IllegalStateException(".rodata is frozen once " + name + " is loaded");
        }
        Pointer map = lib.bpf_object__find_map_by_name(obj, ".rodata");
        if (map == null) {
            throw new BpfException("failed to find .rodata in BPF object " + name);
        }
        Pointer size = bpf.allocate(8);
        Pointer data = lib.bpf_map__initial_value(map, size);
        if (data == null) {
            throw new BpfException("failed to map .rodata of BPF object " + name);
        }
        return data;
    }

    public void setMaxEntries(String mapName, int entries) {
        int rc = lib.bpf_map__set_max_entries(mapHandle(mapName), entries);
        if (rc != 0) {
            throw new BpfException("failed to size map " + mapName + " of " + name + ": " + Bpf.describeErrno(rc));
        }
    }

    public void setAutoload(String program, boolean autoload) {
        int rc = lib.bpf_program__set_autoload(programHandle(program), autoload);
        if (rc != 0) {
            throw new BpfException("failed to set autoload of " + program + ": " + Bpf.describeErrno(rc));
        }
    }

    public void load() {
        checkOpen();
        bpf.log().drainWarnings();
        int rc = lib.bpf_object__load(obj);
        if (rc != 0) {
            int errno = Math.abs(rc);
            String why = warnings(bpf);
            String kind = (errno == 1 || errno == 13) && why.contains("verifier")
                    ? "verifier rejected a program (the verifier log is at debug level)"
                    : Bpf.describeErrno(errno);
            throw new BpfException("failed to load BPF object " + name + ": " + kind + why);
        }
        loaded = true;
    }

    public BpfMap map(String mapName) {
        checkLoaded();
        int fd = lib.bpf_map__fd(mapHandle(mapName));
        if (fd < 0) {
            throw new BpfException("failed to get fd of map " + mapName + ": " + Bpf.describeErrno(fd));
        }
        return new BpfMap(bpf, mapName, fd);
    }

    /** Attaches a program by its SEC() definition (tracepoints). */
    public BpfLink attach(String program) {
        checkLoaded();
        Pointer link = lib.bpf_program__attach(programHandle(program));
        if (link == null) {
            throw new BpfException("failed to attach " + program + ": " + Bpf.describeErrno(bpf.lastError())
                    + warnings(bpf));
        }
        return remember(new BpfLink(lib, link, program));
    }

    /** Attaches a uprobe at a file offset of a binary; pid -1 probes every process running it. */
    public BpfLink attachUprobe(String program, int pid, String binaryPath, long fileOffset) {
        checkLoaded();
        Pointer link = lib.bpf_program__attach_uprobe(programHandle(program), false, pid, binaryPath, fileOffset);
        if (link == null) {
            throw new BpfException("failed to attach uprobe " + program + " to " + binaryPath + "+0x"
                    + Long.toHexString(fileOffset) + ": " + Bpf.describeErrno(bpf.lastError()) + warnings(bpf));
        }
        return remember(new BpfLink(lib, link, program + "@" + binaryPath));
    }

    /**
     * Runs a loaded program once on one CPU (BPF_PROG_TEST_RUN with BPF_F_TEST_RUN_ON_CPU; raw_tp programs
     * only) and returns its return value.
     */
    public int runOnCpu(String program, int cpu) {
        checkLoaded();
        int fd = lib.bpf_program__fd(programHandle(program));
        Pointer opts = bpf.allocate(LibBpf.TEST_RUN_OPTS_SIZE);
        opts.putLong(0, LibBpf.TEST_RUN_OPTS_SIZE);
        opts.putInt(LibBpf.TEST_RUN_OPTS_FLAGS, LibBpf.BPF_F_TEST_RUN_ON_CPU);
        opts.putInt(LibBpf.TEST_RUN_OPTS_CPU, cpu);
        int rc = lib.bpf_prog_test_run_opts(fd, opts);
        if (rc != 0) {
            throw new BpfException("failed to run " + program + " on CPU " + cpu + ": "
                    + Bpf.describeErrno(rc < -1 ? rc : bpf.lastError()));
        }
        return opts.getInt(LibBpf.TEST_RUN_OPTS_RETVAL);
    }

    /** Detaches every program of this object (newest first); maps and ring buffers stay readable. */
    public synchronized void detachAll() {
        for (int i = links.size() - 1; i >= 0; i--) {
            links.get(i).close();
        }
        links.clear();
    }

    public synchronized int attachedLinks() {
        return links.size();
    }

    /** Detaches one link made by this object. */
    public synchronized void detach(BpfLink link) {
        link.close();
        links.remove(link);
    }

    private synchronized BpfLink remember(BpfLink link) {
        links.add(link);
        return link;
    }

    public RingBufferReader ringBuffer(String mapName, RingBufferReader.RecordHandler handler,
                                       int pollTimeoutMs, String threadName) {
        return new RingBufferReader(bpf, map(mapName), handler, pollTimeoutMs, threadName);
    }

    private Pointer mapHandle(String mapName) {
        checkOpen();
        Pointer m = lib.bpf_object__find_map_by_name(obj, mapName);
        if (m == null) {
            throw new BpfException("BPF object " + name + " has no map " + mapName);
        }
        return m;
    }

    private Pointer programHandle(String program) {
        checkOpen();
        Pointer p = lib.bpf_object__find_program_by_name(obj, program);
        if (p == null) {
            throw new BpfException("BPF object " + name + " has no program " + program);
        }
        return p;
    }

    private void checkOpen() {
        if (obj == null) {
            throw new IllegalStateException("BPF object " + name + " is closed");
        }
    }

    private void checkLoaded() {
        checkOpen();
        if (!loaded) {
            throw new IllegalStateException("BPF object " + name + " is not loaded");
        }
    }

    private static String warnings(Bpf bpf) {
        List<String> w = bpf.log().drainWarnings();
        if (w.isEmpty()) {
            return "";
        }
        String last = w.get(w.size() - 1);
        for (String s : w) {
            if (s.startsWith("verifier: ")) {
                last = s;
            }
        }
        return " (libbpf: " + last + ")";
    }

    @Override
    public synchronized void close() {
        for (int i = links.size() - 1; i >= 0; i--) {
            links.get(i).close();
        }
        links.clear();
        if (obj != null) {
            lib.bpf_object__close(obj);
            obj = null;
        }
    }
}
