package io.harbinger.jsonl;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonlReaderWriterTest {
    private static final Path SAMPLES = Path.of("../../shared/samples");

    @Test
    void roundTripsTheSampleRecordingsExactly() throws IOException {
        for (String name : List.of("syscall.jsonl", "gomap.jsonl")) {
            Path file = SAMPLES.resolve(name);
            if (!Files.exists(file)) {
                file = Path.of("/work/shared/samples").resolve(name);
            }
            List<SpecificRecord> events = new ArrayList<>();
            try (JsonlReader r = JsonlReader.open(file)) {
                r.forEachRemaining(events::add);
            }
            assertEquals(Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count(), events.size());
            StringWriter out = new StringWriter();
            try (JsonlWriter w = new JsonlWriter(out)) {
                for (SpecificRecord e : events) {
                    w.write(e);
                }
            }
            List<SpecificRecord> again = new ArrayList<>();
            try (JsonlReader r = new JsonlReader(new StringReader(out.toString()), "memory")) {
                r.forEachRemaining(again::add);
            }
            assertEquals(events, again, name);
        }
    }

    @Test
    void writesTheContractFieldOrder() throws IOException {
        StringWriter out = new StringWriter();
        try (JsonlWriter w = new JsonlWriter(out)) {
            w.write((SyscallEvent) RawEventJson.parse(RawEventJsonTest.SYSCALL));
            w.write((GoMapEvent) RawEventJson.parse(RawEventJsonTest.GOMAP));
        }
        String[] lines = out.toString().split("\n");
        assertEquals(RawEventJsonTest.SYSCALL, lines[0]);
        assertEquals(RawEventJsonTest.GOMAP, lines[1]);
    }

    @Test
    void malformedLineNamesItsLineAndReadingContinues() throws IOException {
        String text = RawEventJsonTest.SYSCALL + "\n\n{\"type\":\"gomap\"}\n" + RawEventJsonTest.GOMAP + "\n";
        try (JsonlReader r = new JsonlReader(new StringReader(text), "rec.jsonl")) {
            assertTrue(r.next() instanceof SyscallEvent);
            JsonlFormatException e = assertThrows(JsonlFormatException.class, r::next);
            assertEquals(3, e.line());
            assertTrue(e.getMessage().startsWith("rec.jsonl:3: missing field"), e.getMessage());
            assertTrue(r.next() instanceof GoMapEvent);
            assertEquals(4, r.lineNumber());
            assertFalse(r.hasNext());
        }
    }

    @Test
    void lastLineWithoutNewlineIsRead() throws IOException {
        try (JsonlReader r = new JsonlReader(new StringReader(RawEventJsonTest.GOMAP), "x")) {
            assertTrue(r.next() instanceof GoMapEvent);
            assertFalse(r.hasNext());
        }
    }

    @Test
    void anOverlongLineIsRefusedWithoutBufferingIt() throws IOException {
        // A reader that yields 3 MB of 'x' without a newline, then one good line: memory stays bounded.
        Reader endless = new Reader() {
            long left = 3L << 20;
            boolean tail;
            final char[] good = ("\n" + RawEventJsonTest.GOMAP + "\n").toCharArray();
            int goodPos;

            @Override
            public int read(char[] buf, int off, int len) {
                if (left > 0) {
                    int n = (int) Math.min(len, left);
                    java.util.Arrays.fill(buf, off, off + n, 'x');
                    left -= n;
                    return n;
                }
                if (goodPos >= good.length) {
                    return -1;
                }
                int n = Math.min(len, good.length - goodPos);
                System.arraycopy(good, goodPos, buf, off, n);
                goodPos += n;
                return n;
            }

            @Override
            public void close() {
                tail = true;
            }
        };
        try (JsonlReader r = new JsonlReader(endless, "big")) {
            JsonlFormatException e = assertThrows(JsonlFormatException.class, r::next);
            assertTrue(e.getMessage().contains("big:1: line longer than"), e.getMessage());
            assertTrue(r.next() instanceof GoMapEvent);
        }
    }

    @Test
    void missingFileIsAPlainError(@TempDir Path dir) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> JsonlReader.open(dir.resolve("nope.jsonl")));
        assertTrue(e.getMessage().contains("nope.jsonl"));
    }
}
