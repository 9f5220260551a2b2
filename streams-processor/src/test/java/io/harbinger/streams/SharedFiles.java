package io.harbinger.streams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The team's shared/ folder (samples, eval scripts): beside the repository in CI's clone, or at /work/shared. */
public final class SharedFiles {
    public static final Path ROOT = Stream.of(System.getProperty("harbinger.shared"), "../../shared", "/work/shared")
            .filter(p -> p != null && Files.isDirectory(Path.of(p, "samples")))
            .map(p -> Path.of(p).toAbsolutePath().normalize())
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("shared/ (samples, eval) not found beside the repository"));

    private SharedFiles() {}
}
