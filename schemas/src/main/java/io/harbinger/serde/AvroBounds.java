package io.harbinger.serde;

import org.apache.avro.Schema;

/**
 * Walks Avro binary under its writer schema without materializing anything, checking that every length prefix
 * (string, bytes, array and map blocks) fits in the bytes that remain. Avro itself allocates a declared length
 * before reading it, so one corrupt prefix could ask for gigabytes (DeserializerFuzzIT found this); this pass turns
 * that into a {@link WireFormatException} first. Pure, allocation-free, a few ns per field.
 */
final class AvroBounds {
    private AvroBounds() {}

    /** Throws unless {@code data[offset..]} is structurally sound for {@code schema} and ends exactly at the end. */
    static void check(Schema schema, byte[] data, int offset) {
        Cursor c = new Cursor(data, offset);
        walk(schema, c, 0);
        if (c.pos != data.length) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                    (data.length - c.pos) + " trailing bytes after the Avro body");
        }
    }

    private static final class Cursor {
        final byte[] data;
        int pos;

        Cursor(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        long varlong() {
            long raw = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                if (pos >= data.length) {
                    throw truncated();
                }
                byte b = data[pos++];
                raw |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return (raw >>> 1) ^ -(raw & 1);
                }
            }
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "varint longer than 10 bytes");
        }

        void skip(long n) {
            if (n < 0 || n > data.length - pos) {
                throw n < 0 ? new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "negative length " + n)
                        : truncated();
            }
            pos += (int) n;
        }

        WireFormatException truncated() {
            return new WireFormatException(WireFormatException.Reason.TRUNCATED,
                    "Avro body ends early (at byte " + pos + " of " + data.length + ")");
        }
    }

    private static void walk(Schema s, Cursor c, int depth) {
        if (depth > 64) {
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "nesting deeper than 64");
        }
        switch (s.getType()) {
            case NULL -> { }
            case BOOLEAN -> c.skip(1);
            case INT, LONG -> c.varlong();
            case FLOAT -> c.skip(4);
            case DOUBLE -> c.skip(8);
            case STRING, BYTES -> c.skip(c.varlong());
            case FIXED -> c.skip(s.getFixedSize());
            case ENUM -> {
                long i = c.varlong();
                if (i < 0 || i >= s.getEnumSymbols().size()) {
                    throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                            "enum index " + i + " outside " + s.getName());
                }
            }
            case UNION -> {
                long i = c.varlong();
                if (i < 0 || i >= s.getTypes().size()) {
                    throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                            "union branch " + i + " outside " + s.getTypes().size());
                }
                walk(s.getTypes().get((int) i), c, depth + 1);
            }
            case RECORD -> {
                for (Schema.Field f : s.getFields()) {
                    walk(f.schema(), c, depth + 1);
                }
            }
            case ARRAY, MAP -> {
                long n;
                while ((n = c.varlong()) != 0) {
                    if (n < 0) {
                        c.varlong(); // block size in bytes follows a negative count
                        n = -n;
                    }
                    // every item takes at least one byte unless it is null or an empty record: bound the loop anyway
                    if (n > c.data.length - c.pos + 1024L) {
                        throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD,
                                "block of " + n + " items in " + (c.data.length - c.pos) + " bytes");
                    }
                    for (long i = 0; i < n; i++) {
                        if (s.getType() == Schema.Type.MAP) {
                            c.skip(c.varlong());
                            walk(s.getValueType(), c, depth + 1);
                        } else {
                            walk(s.getElementType(), c, depth + 1);
                        }
                    }
                }
            }
        }
    }
}
