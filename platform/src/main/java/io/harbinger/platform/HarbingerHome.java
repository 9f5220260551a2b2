package io.harbinger.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The repository root Harbinger runs from: where the runtime classpaths are built and the default state directory
 * ({@code .harbinger/}) lives. Taken from {@code -Dharbinger.home}, else {@code $HARBINGER_HOME}, else the nearest
 * directory at or above the working directory that holds {@code runtime/kafka-broker/pom.xml} (so tests running
 * in any module's directory find it too).
 */
public final class HarbingerHome {
    public static final String PROPERTY = "harbinger.home";
    public static final String ENV = "HARBINGER_HOME";

    private HarbingerHome() {}

    public static Path get() {
        return find().orElseThrow(() -> new PlatformException(
                "failed to find the Harbinger checkout: run from inside it or set " + ENV));
    }

    public static Optional<Path> find() {
        String explicit = System.getProperty(PROPERTY, System.getenv(ENV));
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("runtime/kafka-broker/pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The default state directory, {@code <home>/.harbinger} (gitignored). */
    public static Path defaultStateDir() {
        return get().resolve(".harbinger");
    }
}
