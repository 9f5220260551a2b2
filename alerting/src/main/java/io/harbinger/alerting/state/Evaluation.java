package io.harbinger.alerting.state;

/**
 * One rule evaluated against the latest data of one subject.
 *
 * @param value the metric's current raw value, as reported on the alert
 * @param level the value the rule judges: the forecaster's smoothed level where there is one, else {@code value}.
 *              "Over the threshold" means the level is, so one noisy sample does not page anyone.
 * @param etaMs forecast event time at which the level reaches the rule's threshold; null when not forecast
 */
public record Evaluation(double value, double level, Long etaMs) {
    public Evaluation {
        if (!Double.isFinite(value) || !Double.isFinite(level)) {
            throw new IllegalArgumentException("metric value is not a finite number: " + value + " (level " + level
                    + ")");
        }
    }

    public static Evaluation of(double value, Long etaMs) {
        return new Evaluation(value, value, etaMs);
    }
}
