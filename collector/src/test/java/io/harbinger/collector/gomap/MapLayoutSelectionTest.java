package io.harbinger.collector.gomap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The version switch: known Go releases get their layout, unknown ones a clear refusal. */
class MapLayoutSelectionTest {

    @ParameterizedTest
    @CsvSource({
            "go1.17.13, true, hmap",
            "go1.19.8, true, hmap",
            "go1.23.4, true, hmap",
            "go1.24.1, true, hmap",      // GOEXPERIMENT=noswissmap keeps runtime.hashGrow
            "go1.24.1, false, swiss",
            "go1.25.0, false, swiss",
            "go1.24rc1, false, swiss"})
    void selects(String version, boolean hasHashGrow, String layout) throws Exception {
        ElfFile elf = TinyElf.withSymbols(hasHashGrow ? "runtime.hashGrow" : "internal/runtime/maps.(*table).rehash");
        assertEquals(layout, MapLayout.select(GoVersion.parse(version), elf).name());
    }

    @ParameterizedTest
    @CsvSource({"go1.16.15, true", "go1.26.0, false", "go1.26.0, true", "go2.0.0, false"})
    void refusesUnknownLayouts(String version, boolean hasHashGrow) throws Exception {
        ElfFile elf = TinyElf.withSymbols(hasHashGrow ? "runtime.hashGrow" : "main.main");
        MapLayout.UnsupportedGoException e = assertThrows(MapLayout.UnsupportedGoException.class,
                () -> MapLayout.select(GoVersion.parse(version), elf));
        assertTrue(e.getMessage().startsWith("unsupported Go map layout for " + version), e.getMessage());
    }
}
