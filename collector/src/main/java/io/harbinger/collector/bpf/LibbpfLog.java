package io.harbinger.collector.bpf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes libbpf's log into SLF4J (logger {@code io.harbinger.collector.libbpf}): warnings at WARN, the verifier
 * log and libbpf's chatter at DEBUG. Keeps the last warnings so a failed load can name its cause in one line.
 */
public final class LibbpfLog implements LibBpf.PrintFn {
    private static final Logger LOG = LoggerFactory.getLogger("io.harbinger.collector.libbpf");
    private static final int LINE_BYTES = 64 * 1024;
    private static final int KEEP = 32;

    private final LibC libc;
    private final Runtime runtime;
    private final Deque<String> recentWarnings = new ArrayDeque<>();

    LibbpfLog(LibC libc, Runtime runtime) {
        this.libc = libc;
        this.runtime = runtime;
    }

    @Override
    public int print(int level, Pointer format, Pointer vaList) {
        try {
            // libbpf calls this rarely (open/load/attach), so a buffer per call is fine
            Pointer buf = Memory.allocateDirect(runtime, LINE_BYTES);
            int n = libc.vsnprintf(buf, LINE_BYTES, format, vaList);
            if (n <= 0) {
                return 0;
            }
            String msg = buf.getString(0, Math.min(n, LINE_BYTES - 1), java.nio.charset.StandardCharsets.UTF_8)
                    .stripTrailing();
            boolean verifierLog = msg.contains("PROG LOAD LOG") || msg.startsWith("func#") || msg.contains("processed ");
            if (level == LibBpf.LIBBPF_WARN && !verifierLog) {
                LOG.warn("{}", msg);
                remember(msg);
            } else if (level == LibBpf.LIBBPF_WARN) {
                LOG.debug("verifier log:\n{}", msg);
                remember("verifier: " + lastLine(msg));
            } else if (level == LibBpf.LIBBPF_INFO) {
                LOG.info("{}", msg);
            } else {
                LOG.debug("{}", msg);
            }
        } catch (Throwable t) {
            // an exception must never unwind into libbpf
            LOG.debug("libbpf log routing failed", t);
        }
        return 0;
    }

    private synchronized void remember(String msg) {
        if (recentWarnings.size() == KEEP) {
            recentWarnings.removeFirst();
        }
        recentWarnings.addLast(msg.replace('\n', ' ').trim());
    }

    /** Warnings since the last call (oldest first), then forgets them. */
    public synchronized List<String> drainWarnings() {
        List<String> out = new ArrayList<>(recentWarnings);
        recentWarnings.clear();
        return out;
    }

    private static String lastLine(String msg) {
        String[] lines = msg.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].trim();
            if (!l.isEmpty() && !l.contains("END PROG LOAD LOG") && !l.startsWith("processed ")) {
                return l;
            }
        }
        return msg.trim();
    }
}
