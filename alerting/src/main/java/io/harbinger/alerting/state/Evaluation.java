package io.harbinger.alerting.state;

/**
 * One rule evaluated against the latest data of one subject.
 *
 * @param value the metric's current value (the raw count, the window's P99, ...): "over the threshold" means this
 *              is, as the ground truth and the forecaster's scoring rule count a crossing
 * @param etaMs forecast event time at which the value reaches the rule's threshold; null when not forecast
 */
public record Evaluation(double value, Long etaMs) {
    public Evaluation {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("metric value is not a finite number: " + value);
        }
    }

    public static Evaluation of(double value, Long etaMs) {
        return new Evaluation(value, etaMs);
    }
}
