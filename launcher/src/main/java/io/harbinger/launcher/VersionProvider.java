package io.harbinger.launcher;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code --version}: Harbinger's version and those of the Kafka and registry it runs (filtered in by Maven). */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {
                "harbinger " + p.getProperty("version", "unknown"),
                "Apache Kafka " + p.getProperty("kafka", "unknown") + ", Hortonworks Schema Registry "
                        + p.getProperty("registry", "unknown"),
                "Java " + System.getProperty("java.version")};
    }
}
