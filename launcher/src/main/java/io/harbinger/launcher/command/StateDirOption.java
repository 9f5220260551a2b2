package io.harbinger.launcher.command;

import io.harbinger.platform.HarbingerHome;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --state-dir}: where the embedded platform keeps its state (default {@code <repo>/.harbinger}). */
public final class StateDirOption {
    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:HARBINGER_STATE_DIR}",
            description = "State directory of the embedded Kafka and registry (default: $HARBINGER_STATE_DIR, "
                    + "else .harbinger/ in the checkout).")
    Path stateDir;

    public Path resolve() {
        return stateDir != null ? stateDir : HarbingerHome.defaultStateDir();
    }
}
