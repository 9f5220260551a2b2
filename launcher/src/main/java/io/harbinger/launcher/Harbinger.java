package io.harbinger.launcher;

import io.harbinger.launcher.command.AlertingCommand;
import io.harbinger.launcher.command.BacktestCommand;
import io.harbinger.launcher.command.StreamsCommand;
import io.harbinger.launcher.command.CollectorCommand;
import io.harbinger.launcher.command.DownCommand;
import io.harbinger.launcher.command.RecordCommand;
import io.harbinger.launcher.command.ReplayCommand;
import io.harbinger.launcher.command.StatusCommand;
import io.harbinger.launcher.command.TailCommand;
import io.harbinger.launcher.command.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code harbinger} command line. Each verb is one class under {@code command/}; it maps its flags to the
 * service's config record and calls the service. Errors are turned into one line by {@link ErrorReporter}.
 */
@Command(name = "harbinger",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Kernel-to-alert early warnings: eBPF collector, Kafka Streams processor, alerting.",
        subcommands = {
                UpCommand.class,
                DownCommand.class,
                StatusCommand.class,
                ReplayCommand.class,
                TailCommand.class,
                RecordCommand.class,
                CollectorCommand.class,
                StreamsCommand.class,
                AlertingCommand.class,
                BacktestCommand.class,
                io.harbinger.launcher.command.DemoCommand.class,
                CommandLine.HelpCommand.class,
        },
        footer = {"", "Also, handled by the ./harbinger script itself:",
                "  test    install missing system packages (when root), then run the whole suite (mvn -B verify)"})
public final class Harbinger implements Runnable {

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public boolean verbose() {
        return verbose;
    }

    public static CommandLine commandLine() {
        Harbinger root = new Harbinger();
        CommandLine cl = new CommandLine(root);
        ErrorReporter reporter = new ErrorReporter(root);
        cl.setExecutionExceptionHandler(reporter);
        cl.setParameterExceptionHandler(reporter);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
