package io.harbinger.collector.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.harbinger.schema.SyscallEvent;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hand-written encoder is byte for byte Avro's, header included. */
class SyscallEventEncoderTest {

    @ParameterizedTest
    @CsvSource({
            "h1, 1767225600000053019, 1001, 1001, postgres, 0, 0, read, 4761, 1, 1, 7",
            "a-much-longer-host-name.example.com, 0, 0, 0, x, 9223372036854775807, 461, lsm_list_modules, 0, -2, 100, 65536",
            "ü-host, -1, 2147483647, -2147483648, wörker, -9223372036854775808, 1023, sys_1023, 9223372036854775807, -9223372036854775808, 2147483647, 2147483647"})
    void matchesAvro(String host, long ts, int pid, int tid, String comm, long cg, int nr, String name, long lat,
                     long ret, int weight, int schemaId) throws Exception {
        SyscallEvent e = new SyscallEvent(host, ts, pid, tid, comm, cg, nr, name, lat, ret, weight);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8),
                (byte) schemaId});
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(SyscallEvent.class).write(e, enc);
        enc.flush();

        SyscallEventEncoder mine = new SyscallEventEncoder();
        byte[] got = mine.encode(schemaId, host, ts, pid, tid, comm, cg, nr, name, lat, ret, weight);
        assertArrayEquals(out.toByteArray(), got);
        // and again, through the string cache
        assertArrayEquals(out.toByteArray(), mine.encode(schemaId, host, ts, pid, tid, comm, cg, nr, name, lat, ret, weight));
    }
}
