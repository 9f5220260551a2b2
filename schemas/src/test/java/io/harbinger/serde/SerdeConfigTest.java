package io.harbinger.serde;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SerdeConfigTest {
    @Test
    void readsConfluentKeysWithDefaults() {
        SerdeConfig c = SerdeConfig.from(Map.of("schema.registry.url", "http://a:8081/, http://b:8081",
                "bootstrap.servers", "ignored:9092"));
        assertEquals(List.of("http://a:8081", "http://b:8081"), c.registryUrls());
        assertTrue(c.autoRegister());
        assertFalse(c.useLatestVersion());
        assertEquals(Duration.ofSeconds(5), c.requestTimeout());
        assertEquals(3, c.retries());
    }

    @Test
    void overridesAndAuth() {
        SerdeConfig c = SerdeConfig.from(Map.of("schema.registry.url", "http://a", "auto.register.schemas", "false",
                "use.latest.version", true, "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "bob:s3cret", "schema.registry.retries", "0"));
        assertFalse(c.autoRegister());
        assertTrue(c.useLatestVersion());
        assertEquals("bob:s3cret", c.basicAuthUserInfo());
        assertEquals(0, c.retries());
        assertFalse(c.toString().contains("s3cret"), "secrets never printed");
    }

    @Test
    void refusesBadValuesWithTheKeyNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SerdeConfig.from(Map.of()))
                .getMessage().contains("schema.registry.url"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SerdeConfig.from(Map.of(
                "schema.registry.url", "http://a", "auto.register.schemas", "yes"))).getMessage().contains("auto.register.schemas"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SerdeConfig.from(Map.of(
                "schema.registry.url", "http://a", "basic.auth.user.info", "nopassword"))).getMessage().contains("user:password"));
    }
}
