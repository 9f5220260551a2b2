package io.harbinger.collector.gomap;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Reads a target's memory (or, in tests, synthetic memory). */
public interface MemoryReader {
    /** Fills dst from position to limit with the bytes at address; throws when they are not all readable. */
    void read(long address, ByteBuffer dst) throws IOException;
}
