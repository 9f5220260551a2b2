package io.harbinger.collector.gomap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Go release as found in build info ("go1.19.8", "go1.24rc1", "go1.25.0 X:nocoverageredesign"). */
public record GoVersion(int major, int minor, String text) implements Comparable<GoVersion> {
    private static final Pattern P = Pattern.compile("^go(\\d+)\\.(\\d+)");

    public static GoVersion parse(String text) {
        Matcher m = P.matcher(text.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("not a Go release version: '" + text + "'");
        }
        return new GoVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), text.trim());
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    @Override
    public int compareTo(GoVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return text;
    }
}
