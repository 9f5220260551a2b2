package io.harbinger.jsonl;

/** A malformed line in a JSONL recording; the message is "SOURCE:LINE: reason". */
public class JsonlFormatException extends RuntimeException {
    private final String source;
    private final long line;

    public JsonlFormatException(String source, long line, String reason) {
        super(source + ":" + line + ": " + reason);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    public long line() {
        return line;
    }
}
