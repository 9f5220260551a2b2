package io.harbinger.schema;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Evolution policy BACKWARD: every current schema must read data written with the last released version of it
 * (kept in {@code schemas/released/<version>/}). A schema may not disappear once released.
 */
class SchemaEvolutionTest {
    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("released");

    static Path lastRelease() throws IOException {
        try (Stream<Path> dirs = Files.list(RELEASED)) {
            return dirs.filter(Files::isDirectory)
                    .max(Comparator.comparing(SchemaEvolutionTest::versionKey))
                    .orElseThrow(() -> new AssertionError("no release under " + RELEASED.toAbsolutePath()));
        }
    }

    private static String versionKey(Path p) {
        StringBuilder sb = new StringBuilder();
        for (String part : p.getFileName().toString().split("\\.")) {
            sb.append(String.format("%08d", Integer.parseInt(part.replaceAll("\\D", "0"))));
        }
        return sb.toString();
    }

    @TestFactory
    List<DynamicTest> everySchemaReadsItsLastRelease() throws IOException {
        Path release = lastRelease();
        Schema.Parser currentParser = new Schema.Parser();
        Schema.Parser releasedParser = new Schema.Parser();
        // Alert.avsc defines AlertSeverity, which other files do not reference: parse in sorted order per parser.
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(release)) {
            for (Path old : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                Path now = CURRENT.resolve(old.getFileName());
                tests.add(DynamicTest.dynamicTest(old.getFileName().toString(), () -> {
                    assertTrue(Files.exists(now), "released schema " + old.getFileName() + " was removed");
                    Schema writer = releasedParser.parse(old.toFile());
                    Schema reader = currentParser.parse(now.toFile());
                    SchemaCompatibility.SchemaPairCompatibility c =
                            SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
                    assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, c.getType(),
                            () -> now + " cannot read data written with " + old + ": " + c.getDescription());
                }));
            }
        }
        assertFalse(tests.isEmpty());
        return tests;
    }

    @Test
    void checkDetectsAnIncompatibleChange() {
        // Guards the test above: a new required field without a default must be reported.
        Schema writer = SchemaBuilderFixtures.record("{\"name\":\"a\",\"type\":\"long\"}");
        Schema reader = SchemaBuilderFixtures.record("{\"name\":\"a\",\"type\":\"long\"},{\"name\":\"b\",\"type\":\"long\"}");
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType());
    }

    private static final class SchemaBuilderFixtures {
        static Schema record(String fields) {
            return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
        }
    }
}
