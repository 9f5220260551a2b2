package io.harbinger.launcher.command;

import io.harbinger.streams.app.StreamsService;
import io.harbinger.streams.app.StreamsServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code harbinger streams}: the Kafka Streams processor and its query API against the configured Kafka. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Run the streams processor (windowed latency quantiles, Go map trends and forecasts, query "
                + "API) against the configured Kafka with exactly-once v2.",
                "Defaults point at the embedded platform of `harbinger up`; see docs/streams.md for every key."})
public final class StreamsCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file: Kafka Streams/client keys as they are, plus harbinger.* keys.")
    Path config;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Query API port (overrides harbinger.http.port).")
    Integer httpPort;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".harbinger/streams-state",
            description = "Local state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        StreamsServiceConfig cfg;
        try {
            Properties p = new Properties();
            if (config != null) {
                try (Reader r = Files.newBufferedReader(config)) {
                    p.load(r);
                } catch (NoSuchFileException e) {
                    throw new IllegalArgumentException("--config " + config + ": no such file");
                }
            }
            p = StreamsServiceConfig.withEnvironment(p, System.getenv());
            if (httpPort != null) {
                p.put(StreamsServiceConfig.HTTP_PORT, httpPort.toString());
            }
            cfg = StreamsServiceConfig.from(p, stateDir.toAbsolutePath());
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("harbinger streams: " + e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (StreamsService service = new StreamsService(cfg)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                service.close();
            }, "harbinger-streams-shutdown"));
            service.start();
            System.err.println("harbinger streams: running; query API on http://" + cfg.httpBind() + ":"
                    + service.httpPort() + " (Ctrl-C stops)");
            stop.await();
        } catch (java.net.BindException e) {
            System.err.println("harbinger streams: cannot listen on " + cfg.httpBind() + ":" + cfg.httpPort() + ": "
                    + e.getMessage());
            return 1;
        }
        return 0;
    }
}
