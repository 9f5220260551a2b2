package io.harbinger.launcher.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code harbinger demo} was asked to do.
 *
 * @param home         the checkout (the Go service's source is under {@code demo/leaky})
 * @param stateDir     everything the demo writes (wiped at start): {@code .harbinger/demo}
 * @param runFor       run this long once the pipeline is live, print the summary and exit; null = until Ctrl-C
 * @param forceReplay  replay the recording even where eBPF works
 * @param recording    a JSONL recording to replay instead of the bundled one; null = bundled
 * @param replaySpeed  event-time speed of the replay (1 = real time)
 */
public record DemoConfig(Path home, Path stateDir, Duration runFor, boolean forceReplay, Path recording,
                         double replaySpeed) {
    public DemoConfig {
        if (runFor != null && (runFor.isNegative() || runFor.isZero())) {
            throw new IllegalArgumentException("--for must be a positive duration, e.g. 180s");
        }
        if (!(replaySpeed > 0 && replaySpeed <= 1000)) {
            throw new IllegalArgumentException("--replay-speed must be within (0, 1000], got " + replaySpeed);
        }
        stateDir = stateDir.toAbsolutePath().normalize();
    }
}
