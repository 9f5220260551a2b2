package io.harbinger.streams.query;

/** A query that cannot be answered, with the HTTP status to answer with. */
public class QueryException extends RuntimeException {
    private final int status;

    public QueryException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
