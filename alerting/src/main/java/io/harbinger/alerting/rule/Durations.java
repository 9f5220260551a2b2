package io.harbinger.alerting.rule;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus-style durations: {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 500ms}, {@code 2d}, {@code 0}. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile(
            "(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final long[] UNIT_MS = {7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    private Durations() {}

    /** @throws IllegalArgumentException naming the accepted format */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORMAT.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 90s, 30m, 1h30m, 500ms)");
        }
        long ms = 0;
        for (int i = 0; i < UNIT_MS.length; i++) {
            String g = m.group(i + 1);
            if (g != null) {
                try {
                    ms = Math.addExact(ms, Math.multiplyExact(Long.parseLong(g), UNIT_MS[i]));
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException("duration '" + text + "' is too long");
                }
            }
        }
        return Duration.ofMillis(ms);
    }

    /** The shortest Prometheus form, e.g. {@code 1h30m}; {@code 0s} for zero. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        String[] units = {"w", "d", "h", "m", "s", "ms"};
        for (int i = 0; i < UNIT_MS.length; i++) {
            long n = ms / UNIT_MS[i];
            if (n > 0) {
                b.append(n).append(units[i]);
                ms -= n * UNIT_MS[i];
            }
        }
        return b.toString();
    }
}
