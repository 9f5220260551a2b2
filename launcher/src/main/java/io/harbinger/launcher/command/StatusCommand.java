package io.harbinger.launcher.command;

import io.harbinger.platform.Platform;
import io.harbinger.platform.PlatformConfig;
import io.harbinger.platform.ServiceStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show whether the embedded Kafka node and schema registry run and answer. "
                + "Exit code 0 when both do, 3 otherwise.")
public final class StatusCommand implements Callable<Integer> {
    /** Exit code when a service is down or not answering. */
    public static final int NOT_RUNNING = 3;

    @Mixin
    StateDirOption stateDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<ServiceStatus> status = new Platform(PlatformConfig.load(stateDir.resolve())).status();
        PrintWriter out = spec.commandLine().getOut();
        status.forEach(s -> out.println(s.line()));
        return status.stream().allMatch(ServiceStatus::running) ? 0 : NOT_RUNNING;
    }
}
