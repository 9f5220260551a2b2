package io.harbinger.alerting.rule;

/** A rules file that cannot be used; the message is one line: {@code FILE:LINE: reason}. */
public final class InvalidRuleException extends RuntimeException {
    private final String file;
    private final int line;
    private final String reason;

    public InvalidRuleException(String file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
