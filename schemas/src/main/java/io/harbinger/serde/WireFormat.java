package io.harbinger.serde;

import java.nio.ByteBuffer;

/**
 * Confluent's wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), then the Avro binary body.
 * Pure functions only.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** Writes the 5-byte header at the start of {@code out}. */
    public static void writeHeader(byte[] out, int schemaId) {
        out[0] = MAGIC_BYTE;
        out[1] = (byte) (schemaId >>> 24);
        out[2] = (byte) (schemaId >>> 16);
        out[3] = (byte) (schemaId >>> 8);
        out[4] = (byte) schemaId;
    }

    /** Validates the header and returns the schema id. */
    public static int schemaId(byte[] data, String topic) {
        if (data == null || data.length == 0) {
            throw new WireFormatException(WireFormatException.Reason.TRUNCATED,
                    "empty record on " + topic);
        }
        if (data[0] != MAGIC_BYTE) {
            throw new WireFormatException(WireFormatException.Reason.UNKNOWN_MAGIC_BYTE,
                    String.format("magic byte 0x%02x, expected 0x00, on %s", data[0] & 0xff, topic));
        }
        if (data.length < HEADER_SIZE) {
            throw new WireFormatException(WireFormatException.Reason.TRUNCATED,
                    data.length + " bytes, shorter than the 5-byte header, on " + topic);
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }
}
