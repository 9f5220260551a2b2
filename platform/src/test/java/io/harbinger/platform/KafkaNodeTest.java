package io.harbinger.platform;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KafkaNodeTest {
    @Test
    void serverPropertiesBindLoopbackOnlyAndFitASingleNode() throws Exception {
        PlatformConfig c = PlatformConfig.defaults(Path.of("/tmp/h")).withPorts(19092, 19093, 18081, 18082);
        Properties p = new Properties();
        p.load(new StringReader(new KafkaNode(c).serverPropertiesText()));
        assertEquals("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093", p.getProperty("listeners"));
        assertEquals("PLAINTEXT://127.0.0.1:19092", p.getProperty("advertised.listeners"));
        assertEquals("1@127.0.0.1:19093", p.getProperty("controller.quorum.voters"));
        assertEquals("1", p.getProperty("offsets.topic.replication.factor"));
        assertEquals("1", p.getProperty("transaction.state.log.replication.factor"));
        assertEquals("1", p.getProperty("transaction.state.log.min.isr"));
        assertEquals("8388608", p.getProperty("log.cleaner.dedupe.buffer.size"));
        assertEquals("/tmp/h/kafka/data", p.getProperty("log.dirs"));
        assertEquals("-1", p.getProperty("log.retention.ms"), "old event timestamps must not expire replayed data");
    }

    @Test
    void registryConfigBindsLoopbackAndKeepsSchemasInMemory() {
        PlatformConfig c = PlatformConfig.defaults(Path.of("/tmp/h")).withPorts(19092, 19093, 18081, 18082);
        String yaml = new RegistryServer(c).yaml();
        assertEquals(2, yaml.split("bindHost: 127.0.0.1", -1).length - 1);
        org.junit.jupiter.api.Assertions.assertTrue(yaml.contains("port: 18081") && yaml.contains("port: 18082"));
        org.junit.jupiter.api.Assertions.assertTrue(yaml.contains("InMemoryStorageManager"));
    }
}
