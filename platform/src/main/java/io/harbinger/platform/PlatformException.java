package io.harbinger.platform;

/**
 * A platform operation failed for a known reason. The message is one line a user can act on,
 * e.g. "failed to start Kafka: port 9092 in use"; the launcher prints it as is.
 */
public class PlatformException extends RuntimeException {
    public PlatformException(String message) {
        super(message);
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
