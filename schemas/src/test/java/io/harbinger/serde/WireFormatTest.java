package io.harbinger.serde;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WireFormatTest {
    @Test
    void headerIsMagicZeroThenBigEndianId() {
        byte[] b = new byte[6];
        WireFormat.writeHeader(b, 0x01020304);
        assertEquals(0, b[0]);
        assertEquals(1, b[1]);
        assertEquals(4, b[4]);
        assertEquals(0x01020304, WireFormat.schemaId(b, "t"));
    }

    @Test
    void badHeadersAreTypedErrors() {
        assertEquals(WireFormatException.Reason.TRUNCATED,
                assertThrows(WireFormatException.class, () -> WireFormat.schemaId(new byte[0], "t")).reason());
        assertEquals(WireFormatException.Reason.UNKNOWN_MAGIC_BYTE,
                assertThrows(WireFormatException.class, () -> WireFormat.schemaId(new byte[]{1, 0, 0, 0, 1}, "t")).reason());
        WireFormatException e = assertThrows(WireFormatException.class, () -> WireFormat.schemaId(new byte[]{0, 0, 1}, "topic-x"));
        assertEquals(WireFormatException.Reason.TRUNCATED, e.reason());
        assertEquals("TRUNCATED: 3 bytes, shorter than the 5-byte header, on topic-x", e.getMessage());
    }
}
