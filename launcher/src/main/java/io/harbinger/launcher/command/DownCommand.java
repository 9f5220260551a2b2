package io.harbinger.launcher.command;

import io.harbinger.platform.Platform;
import io.harbinger.platform.PlatformConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the embedded schema registry and Kafka node (SIGTERM, then SIGKILL after a grace period). "
                + "Their data stays in the state directory.")
public final class DownCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Platform.DownResult r = new Platform(PlatformConfig.load(stateDir.resolve())).down();
        PrintWriter out = spec.commandLine().getOut();
        out.println("registry  " + (r.registryStopped() ? "stopped" : "was not running"));
        out.println("kafka     " + (r.kafkaStopped() ? "stopped" : "was not running"));
        return 0;
    }
}
