package io.harbinger.launcher.command;

import io.harbinger.platform.Platform;
import io.harbinger.platform.PlatformConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start the embedded Apache Kafka node and schema registry (own JVMs, 127.0.0.1 only) and "
                + "create the Harbinger topics. Does nothing for what already runs."})
public final class UpCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Option(names = "--broker-port", defaultValue = "" + PlatformConfig.DEFAULT_BROKER_PORT,
            description = "Kafka client port (default: ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--controller-port", defaultValue = "" + PlatformConfig.DEFAULT_CONTROLLER_PORT,
            description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", defaultValue = "" + PlatformConfig.DEFAULT_REGISTRY_PORT,
            description = "Schema registry HTTP port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--registry-admin-port", defaultValue = "" + PlatformConfig.DEFAULT_REGISTRY_ADMIN_PORT,
            description = "Schema registry admin port (default: ${DEFAULT-VALUE}).")
    int registryAdminPort;

    @Option(names = "--kafka-heap", defaultValue = PlatformConfig.DEFAULT_KAFKA_HEAP,
            description = "Kafka JVM heap (default: ${DEFAULT-VALUE}).")
    String kafkaHeap;

    @Option(names = "--registry-heap", defaultValue = PlatformConfig.DEFAULT_REGISTRY_HEAP,
            description = "Registry JVM max heap (default: ${DEFAULT-VALUE}).")
    String registryHeap;

    @Option(names = "--timeout", defaultValue = "90", paramLabel = "SECONDS",
            description = "How long to wait for each service to answer (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PlatformConfig config = PlatformConfig.defaults(stateDir.resolve())
                .withPorts(brokerPort, controllerPort, registryPort, registryAdminPort)
                .withHeaps(kafkaHeap, registryHeap)
                .withStartTimeout(Duration.ofSeconds(timeoutSeconds));
        PrintWriter out = spec.commandLine().getOut();
        Platform.UpResult r = new Platform(config).up(line -> {
            out.println(line);
            out.flush();
        });
        out.printf("kafka     %s %s%n", r.kafkaStarted() ? "started in " + seconds(r.kafkaTime()) + "," : "already running,",
                r.bootstrapServers());
        out.printf("registry  %s %s%n", r.registryStarted() ? "started in " + seconds(r.registryTime()) + "," : "already running,",
                r.registryUrl());
        out.printf("topics    %s%n", r.topicsCreated().isEmpty() ? "all present" : "created " + String.join(", ", r.topicsCreated()));
        out.printf("state     %s (stop with ./harbinger down)%n", config.stateDir());
        return 0;
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
