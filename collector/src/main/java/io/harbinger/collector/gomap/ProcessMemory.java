package io.harbinger.collector.gomap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A process's memory through /proc/PID/mem (needs CAP_SYS_PTRACE or same-user ptrace rights). */
public final class ProcessMemory implements MemoryReader, AutoCloseable {
    private final int pid;
    private final FileChannel ch;

    public ProcessMemory(int pid) throws IOException {
        this.pid = pid;
        this.ch = FileChannel.open(Path.of("/proc", Integer.toString(pid), "mem"), StandardOpenOption.READ);
    }

    @Override
    public void read(long address, ByteBuffer dst) throws IOException {
        long pos = address;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n <= 0) {
                throw new IOException("pid " + pid + ": memory at 0x" + Long.toHexString(pos) + " not readable");
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
