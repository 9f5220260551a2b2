package io.harbinger.serde;

/** The registry answered with an error: HTTP status and Confluent's error_code when it sent one. */
public class SchemaRegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    /** Confluent's error_code (e.g. 40403 schema not found, 40401 subject not found, 409xx incompatible), or -1. */
    public int errorCode() {
        return errorCode;
    }

    public boolean notFound() {
        return status == 404;
    }
}
