package io.harbinger.jsonl;

import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams raw events out of a JSONL recording, one line at a time, in constant memory (lines longer than
 * {@link #MAX_LINE_CHARS} are refused rather than buffered). Blank lines are skipped. A malformed line throws
 * {@link JsonlFormatException} with its line number; callers decide whether to stop or count and continue
 * ({@link #next()} has already moved past the bad line).
 */
public final class JsonlReader implements Iterator<SpecificRecord>, AutoCloseable {
    public static final int MAX_LINE_CHARS = 1 << 20;

    private final Reader in;
    private final String source;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int limit;
    private char[] line = new char[1024];
    private int lineLen;
    private long lineNo;
    private boolean eof;
    private boolean tooLong;
    private boolean havePending;

    public JsonlReader(Reader in, String source) {
        this.in = in; // read in blocks of our own: no per-char locking
        this.source = source;
    }

    public JsonlReader(InputStream in, String source) {
        this(new InputStreamReader(in, StandardCharsets.UTF_8), source);
    }

    /** Opens a file; a missing or unreadable file is an {@link IOException} with a plain message. */
    public static JsonlReader open(Path file) throws IOException {
        try {
            return new JsonlReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
    }

    /** Lines read so far (the number of the line last returned or refused). */
    public long lineNumber() {
        return lineNo;
    }

    public String source() {
        return source;
    }

    @Override
    public boolean hasNext() {
        if (!havePending) {
            havePending = readLine();
        }
        return havePending;
    }

    @Override
    public SpecificRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        havePending = false;
        if (tooLong) {
            throw new JsonlFormatException(source, lineNo, "line longer than " + MAX_LINE_CHARS + " characters");
        }
        try {
            return RawEventJson.parse(line, 0, lineLen);
        } catch (IllegalArgumentException e) {
            throw new JsonlFormatException(source, lineNo, e.getMessage());
        }
    }

    /** Reads the next non-blank line into {@code line}; false at end of input. Scans a block at a time. */
    private boolean readLine() {
        try {
            while (!eof) {
                lineLen = 0;
                tooLong = false;
                boolean any = false;
                boolean newline = false;
                while (!newline) {
                    if (pos == limit) {
                        limit = in.read(buf, 0, buf.length);
                        pos = 0;
                        if (limit <= 0) {
                            limit = 0;
                            eof = true;
                            break;
                        }
                    }
                    int start = pos;
                    while (pos < limit && buf[pos] != '\n') {
                        pos++;
                    }
                    append(start, pos - start);
                    any |= pos > start;
                    if (pos < limit) {
                        pos++; // the newline
                        newline = true;
                    }
                }
                if (eof && !newline && !any) {
                    return false;
                }
                lineNo++;
                if (tooLong || !isBlank()) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(source + ":" + (lineNo + 1) + ": read failed: " + e.getMessage(), e);
        }
    }

    /** Appends to the current line up to MAX_LINE_CHARS; beyond that the line is only marked too long. */
    private void append(int from, int n) {
        int room = MAX_LINE_CHARS - lineLen;
        if (n > room) {
            tooLong = true;
            n = room;
        }
        if (lineLen + n > line.length) {
            line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE_CHARS, Math.max(line.length * 2, lineLen + n)));
        }
        System.arraycopy(buf, from, line, lineLen, n);
        lineLen += n;
    }

    private boolean isBlank() {
        for (int i = 0; i < lineLen; i++) {
            if (!Character.isWhitespace(line[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
