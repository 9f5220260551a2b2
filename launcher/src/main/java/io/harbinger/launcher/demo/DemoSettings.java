package io.harbinger.launcher.demo;

import java.time.Duration;

/**
 * The numbers the demo is tuned with, in one place (docs/demo.md explains the choice). The leak must be warned
 * about within about two minutes and well before it crosses, so:
 * <ul>
 *   <li>the Go service adds {@link #LEAK_PER_SECOND} entries a second (2 % expire again), crossing
 *       {@link #THRESHOLD} about 150 s after it starts;</li>
 *   <li>the growth model needs 20 minutes of history before its forecast is credible (docs/forecast.md); the demo runs
 *       its clock {@link #FORECAST_TIME_SCALE} times faster, so that takes about a minute;</li>
 *   <li>the rule (resource {@code rules.yaml}) warns when the crossing is forecast within 10 minutes, critical within
 *       30 s.</li>
 * </ul>
 */
public final class DemoSettings {
    private DemoSettings() {}

    public static final String LEAKY_COMM = "leaky";
    public static final double LEAK_PER_SECOND = 10_000;
    public static final double LEAK_CHURN = 0.02;
    public static final long THRESHOLD = 1_500_000;
    /** The leaky service stops growing here (about 75 MB of map). */
    public static final long LEAK_MAX = 3_000_000;
    public static final double FORECAST_TIME_SCALE = 20;
    public static final String RULE_NAME = "demo-leak";
    public static final String RULES_RESOURCE = "/io/harbinger/launcher/demo/rules.yaml";
    public static final String RECORDING_RESOURCE = "/io/harbinger/launcher/demo/recording.jsonl.gz";
    /** Latency windows: short, so the heatmap fills within the first minute. */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    public static final Duration GRACE = Duration.ofSeconds(2);
    public static final Duration REFRESH = Duration.ofSeconds(2);

    public static final int STREAMS_PORT = 8090;
    public static final int ALERTING_PORT = 8095;
    public static final int COLLECTOR_METRICS_PORT = 9464;
}
