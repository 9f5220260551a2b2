package io.harbinger.alerting.inhibit;

import io.harbinger.alerting.state.AlertStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InhibitorTest {
    @Test
    void criticalInhibitsWarningOfTheSameSubjectOnly() {
        Map<String, AlertStatus> subject = Map.of("count", AlertStatus.WARNING, "load", AlertStatus.CRITICAL,
                "overflow", AlertStatus.PENDING);
        assertEquals(Optional.of("load"), Inhibitor.inhibitedBy("count", AlertStatus.WARNING, subject));
        assertEquals(Optional.empty(), Inhibitor.inhibitedBy("load", AlertStatus.CRITICAL, subject));
        assertEquals(Optional.empty(), Inhibitor.inhibitedBy("overflow", AlertStatus.PENDING, subject));
        assertEquals(Optional.empty(), Inhibitor.inhibitedBy("count", AlertStatus.WARNING,
                Map.of("count", AlertStatus.WARNING, "load", AlertStatus.RESOLVED)));
        assertEquals(Optional.empty(), Inhibitor.inhibitedBy("count", AlertStatus.RESOLVED, subject),
                "a resolve is never inhibited");
    }
}
