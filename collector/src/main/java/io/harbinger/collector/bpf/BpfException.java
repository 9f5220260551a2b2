package io.harbinger.collector.bpf;

/** A failure to check, open, load or attach an eBPF object; the message is one line fit for a user. */
public class BpfException extends RuntimeException {
    public BpfException(String message) {
        super(message);
    }

    public BpfException(String message, Throwable cause) {
        super(message, cause);
    }
}
