package io.harbinger.alerting.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.schema.Silence;

import java.util.List;

/** What the REST API needs from the running service; the service implements it over Kafka Streams and Kafka. */
public interface AlertingBackend {
    /** Signals a temporary condition (rebalancing, a peer unreachable): 503 with the message. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /**
     * Alerts matching the filter; {@code localOnly} = this instance's stores only (a peer's fan-out request).
     *
     * @throws Unavailable while stores are not queryable or a peer cannot be asked
     */
    List<ObjectNode> alerts(AlertView.Filter filter, boolean localOnly);

    /** Writes the silence to {@code harbinger.silences} and waits (bounded) until this instance sees it. */
    Silence createSilence(Silence silence);

    /** Tombstones the silence; false when no such silence is known. */
    boolean deleteSilence(String id);

    List<Silence> silences();

    /** Null when healthy, else why not. */
    String unhealthy();

    /** Prometheus text exposition. */
    byte[] metrics();
}
