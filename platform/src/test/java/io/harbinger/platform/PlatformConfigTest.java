package io.harbinger.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PlatformConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsWhenNothingWasStored() {
        PlatformConfig c = PlatformConfig.load(dir);
        assertEquals("127.0.0.1:9092", c.bootstrapServers());
        assertEquals("http://127.0.0.1:8081/api/v1/confluent", c.registryUrl());
        assertEquals(dir.resolve("kafka"), c.kafkaDir());
    }

    @Test
    void whatUpStoredIsWhatOthersLoad() {
        PlatformConfig c = PlatformConfig.defaults(dir).withPorts(19092, 19093, 18081, 18082).withHeaps("1g", "128m");
        c.store();
        PlatformConfig loaded = PlatformConfig.load(dir);
        assertEquals(c, loaded);
        assertEquals("127.0.0.1:19092", loaded.bootstrapServers());
    }

    @Test
    void rejectsBadValues() {
        PlatformConfig d = PlatformConfig.defaults(dir);
        assertEquals("port 9092 is given to two listeners",
                assertThrows(IllegalArgumentException.class, () -> d.withPorts(9092, 9092, 1, 2)).getMessage());
        assertEquals("port 70000 is out of range 1-65535",
                assertThrows(IllegalArgumentException.class, () -> d.withPorts(70000, 9093, 1, 2)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withHeaps("lots", "1g"));
    }
}
