package io.harbinger.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record that cannot be (de)serialized, with the cause named so dead letters and logs say why. */
public class WireFormatException extends SerializationException {

    public enum Reason {
        /** Byte 0 is not the Confluent magic byte 0 (not our wire format at all). */
        UNKNOWN_MAGIC_BYTE,
        /** The schema id is not known to the registry. */
        UNKNOWN_SCHEMA_ID,
        /** Fewer bytes than the header or the Avro body needs. */
        TRUNCATED,
        /** The Avro body does not decode under its writer schema (or has trailing bytes). */
        CORRUPT_PAYLOAD,
        /** The writer schema cannot be read as the expected type. */
        SCHEMA_MISMATCH,
        /** The registry did not answer (after retries). */
        REGISTRY_UNAVAILABLE,
        /** The registry refused the schema (e.g. incompatible with the subject's policy). */
        REGISTRY_REJECTED,
        /** The record decodes but cannot be true (a negative latency, a bucket exponent past 63, ...). */
        IMPLAUSIBLE
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * True when {@code e} or one of its causes says the registry did not answer: the record is not broken, so it
     * must be retried, never dead-lettered (a dead letter would take good data, or an alert, out for good).
     */
    public static boolean registryUnavailable(Throwable e) {
        return registryUnavailableCause(e) != null;
    }

    /** The REGISTRY_UNAVAILABLE exception in {@code e}'s cause chain, or null. */
    public static WireFormatException registryUnavailableCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WireFormatException w && w.reason == Reason.REGISTRY_UNAVAILABLE) {
                return w;
            }
        }
        return null;
    }
}
