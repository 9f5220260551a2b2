package io.harbinger.launcher.command;

import io.harbinger.alerting.AlertingConfig;
import io.harbinger.alerting.AlertingService;
import io.harbinger.alerting.rule.Durations;
import io.harbinger.alerting.rule.InvalidRuleException;
import io.harbinger.alerting.rule.Rule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code harbinger alerting}: the alerting service against the configured Kafka. */
@Command(name = "alerting", mixinStandardHelpOptions = true,
        description = {"The alerting service: evaluates the rules against harbinger.gomap.trends and "
                + "harbinger.syscall.latency, publishes state changes to harbinger.alerts, feeds the HTTP sinks, "
                + "serves GET /v1/alerts and /v1/silences on http://127.0.0.1:8095 by default. See docs/alerting.md."})
public final class AlertingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file: Kafka/Streams/registry settings and alerting.* keys (docs/alerting.md).")
    Path config;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Rules YAML (default: alerting.rules from --config, else the built-in default rules).")
    Path rules;

    @Option(names = "--check", description = "Validate the config and rules, print them, and exit.")
    boolean check;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        AlertingConfig c;
        try {
            c = AlertingConfig.load(config, rules, System.getenv());
        } catch (InvalidRuleException | IllegalArgumentException e) {
            err.println("harbinger alerting: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (check) {
            out.println("ok: " + c.rules().rules().size() + " rules from " + c.rules().source());
            for (Rule r : c.rules().rules()) {
                out.println("  " + r.name() + ": " + r.metric().id() + " threshold " + r.threshold() + ", warn within "
                        + Durations.format(r.warnWithin()) + ", critical within " + Durations.format(r.criticalWithin())
                        + ", for " + Durations.format(r.pendingFor()));
            }
            out.println("  REST on " + c.httpHost() + ":" + c.httpPort() + ", " + c.sinks().size() + " sinks");
            out.flush();
            return 0;
        }
        try {
            return AlertingService.runUntilStopped(c, err);
        } catch (IOException e) {
            err.println("harbinger alerting: failed to start the REST API on " + c.httpHost() + ":" + c.httpPort()
                    + ": " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (org.apache.kafka.common.KafkaException | IllegalStateException e) {
            err.println("harbinger alerting: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
