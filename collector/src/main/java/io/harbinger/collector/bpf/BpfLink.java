package io.harbinger.collector.bpf;

import jnr.ffi.Pointer;

/** An attached program; {@link #close()} detaches it (idempotent). */
public final class BpfLink implements AutoCloseable {
    private final LibBpf lib;
    private final String description;
    private Pointer link;

    BpfLink(LibBpf lib, Pointer link, String description) {
        this.lib = lib;
        this.link = link;
        this.description = description;
    }

    public String description() {
        return description;
    }

    @Override
    public synchronized void close() {
        if (link != null) {
            lib.bpf_link__destroy(link);
            link = null;
        }
    }
}
