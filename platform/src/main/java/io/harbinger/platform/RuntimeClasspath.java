package io.harbinger.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The classpath of a service that runs in its own JVM: the jars Maven copied into
 * {@code <home>/runtime/<name>/target/lib} (modules {@code runtime/kafka-broker} and {@code runtime/schema-registry}).
 * {@code -Dharbinger.runtime.<name>.lib=DIR} points elsewhere.
 */
public final class RuntimeClasspath {
    public static final String KAFKA_BROKER = "kafka-broker";
    public static final String SCHEMA_REGISTRY = "schema-registry";

    private RuntimeClasspath() {}

    /** The library directory of {@code runtime}; fails with a one-line hint when it was not built. */
    public static Path libDir(String runtime) {
        String explicit = System.getProperty("harbinger.runtime." + runtime + ".lib");
        Path dir = explicit != null ? Path.of(explicit) : HarbingerHome.get().resolve("runtime").resolve(runtime).resolve("target/lib");
        if (!containsJars(dir)) {
            throw new PlatformException("failed to find the " + runtime + " classpath in " + dir
                    + ": build it with `mvn -B -DskipTests package` (./harbinger does this on first use)");
        }
        return dir;
    }

    /** A {@code java -cp} value: every jar of the runtime's library directory. */
    public static String of(String runtime) {
        return libDir(runtime).toAbsolutePath() + "/*";
    }

    private static boolean containsJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".jar"));
        } catch (IOException e) {
            return false;
        }
    }
}
