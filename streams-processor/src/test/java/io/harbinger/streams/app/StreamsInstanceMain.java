package io.harbinger.streams.app;

import org.apache.kafka.streams.KafkaStreams;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * One streams-processor instance in its own JVM, for tests that kill it: {@code StreamsInstanceMain PROPERTIES
 * STATE_DIR}. Prints {@code RUNNING} once the application runs; SIGTERM closes it cleanly, SIGKILL is a crash.
 */
public final class StreamsInstanceMain {
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            p.load(r);
        }
        StreamsService service = new StreamsService(StreamsServiceConfig.from(p, Path.of(args[1])));
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            System.out.println("CLOSED");
            System.out.flush();
            closed.countDown();
        }));
        service.streams().setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                System.out.println("RUNNING");
                System.out.flush();
            }
        });
        service.start();
        closed.await();
    }
}
