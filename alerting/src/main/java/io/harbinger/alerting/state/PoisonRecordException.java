package io.harbinger.alerting.state;

/** A trend record that deserialized but cannot be evaluated; it goes to the dead-letter topic with this reason. */
public final class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String reason) {
        super(reason);
    }
}
