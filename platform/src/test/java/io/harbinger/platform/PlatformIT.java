package io.harbinger.platform;

import io.harbinger.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded platform of `harbinger up`: real Kafka and registry JVMs on free ports, a throwaway state dir. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {
    @TempDir
    static Path stateDir;
    static Platform platform;
    static List<Long> pids = new ArrayList<>();

    @BeforeAll
    static void configure() {
        platform = new Platform(PlatformConfig.defaults(stateDir)
                .withPorts(Ports.pickFree(), Ports.pickFree(), Ports.pickFree(), Ports.pickFree())
                .withDetached(false));
    }

    @AfterAll
    static void stop() {
        platform.down();
    }

    @Test
    @Order(1)
    void upStartsBothServicesCreatesTopicsAndIsIdempotent() throws Exception {
        Platform.UpResult up = platform.up();
        System.out.printf("up: Kafka %d ms, registry %d ms, %d topics created%n",
                up.kafkaTime().toMillis(), up.registryTime().toMillis(), up.topicsCreated().size());
        assertTrue(up.kafkaStarted() && up.registryStarted());
        assertEquals(Topics.ALL.size(), up.topicsCreated().size());
        assertTrue(Files.exists(stateDir.resolve("kafka/data/meta.properties")));
        assertTrue(Files.readString(stateDir.resolve("kafka/server.properties")).contains("PLAINTEXT://127.0.0.1:"));

        List<ServiceStatus> status = platform.status();
        status.forEach(s -> System.out.println(s.line()));
        assertTrue(status.stream().allMatch(ServiceStatus::running), status.toString());
        status.forEach(s -> pids.add(s.pid().getAsLong()));

        Platform.UpResult again = platform.up();
        assertFalse(again.kafkaStarted() || again.registryStarted(), "a second up starts nothing");
        assertEquals(List.of(), again.topicsCreated());
        assertEquals(PlatformConfig.load(stateDir).bootstrapServers(), up.bootstrapServers());
    }

    @Test
    @Order(2)
    void theBrokerCarriesRecords() {
        String bootstrap = platform.config().bootstrapServers();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(Topics.ALERTS, null, 1_000L + i, "key" + i, "value" + i));
            }
        }
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "platform-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.ALERTS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < 100 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        assertEquals(100, got.size());
        assertTrue(got.stream().allMatch(r -> r.value().equals("value" + (r.timestamp() - 1_000L))));
    }

    @Test
    @Order(3)
    void aTakenPortIsReportedInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path other = stateDir.resolve("other");
            KafkaNode node = new KafkaNode(PlatformConfig.defaults(other)
                    .withPorts(taken.getLocalPort(), Ports.pickFree(), Ports.pickFree(), Ports.pickFree())
                    .withDetached(false));
            PlatformException e = assertThrows(PlatformException.class, node::start);
            assertEquals("failed to start Kafka: port " + taken.getLocalPort() + " in use", e.getMessage());
        }
    }

    @Test
    @Order(4)
    void downStopsBothAndLeavesNoProcess() throws Exception {
        Platform.DownResult down = platform.down();
        assertTrue(down.kafkaStopped() && down.registryStopped());
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still alive");
        }
        assertTrue(platform.status().stream().noneMatch(ServiceStatus::running));
        assertFalse(Files.exists(stateDir.resolve("kafka/kafka.pid")));
        assertEquals(new Platform.DownResult(false, false), platform.down(), "down when down is a no-op");

        // a restart reuses the formatted storage and the topics are still there
        platform.up();
        try (Admin admin = platform.kafka().admin()) {
            Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            Topics.ALL.forEach(t -> assertTrue(names.contains(t.name()), t.name()));
        }
    }
}
