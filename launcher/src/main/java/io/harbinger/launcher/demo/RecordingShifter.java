package io.harbinger.launcher.demo;

import io.harbinger.jsonl.JsonlReader;
import io.harbinger.jsonl.JsonlWriter;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Moves a recording to the present: every event's {@code ts_ns} shifted so the first event falls at a given time,
 * so a replay at real speed looks (and windows, forecasts and alerts behave) as if it happened now.
 */
final class RecordingShifter {
    private RecordingShifter() {}

    record Result(long events, long firstEventMs, long spanMs, String host) {}

    static Result shiftToNow(Path in, Path out, long firstEventAtMs) throws IOException {
        long first = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        try (JsonlReader r = JsonlReader.open(in)) {
            while (r.hasNext()) {
                long ts = tsNs(r.next());
                first = first == Long.MIN_VALUE ? ts : Math.min(first, ts);
                last = Math.max(last, ts);
            }
        }
        if (first == Long.MIN_VALUE) {
            throw new IOException(in + " holds no events");
        }
        long shift = firstEventAtMs * 1_000_000L - first;
        long n = 0;
        String host = null;
        try (JsonlReader r = JsonlReader.open(in); JsonlWriter w = JsonlWriter.create(out)) {
            while (r.hasNext()) {
                SpecificRecord e = r.next();
                if (e instanceof SyscallEvent s) {
                    s.setTsNs(s.getTsNs() + shift);
                    host = host == null ? s.getHost() : host;
                } else if (e instanceof GoMapEvent g) {
                    g.setTsNs(g.getTsNs() + shift);
                    host = host == null ? g.getHost() : host;
                }
                w.write(e);
                n++;
            }
        }
        return new Result(n, firstEventAtMs, (last - first) / 1_000_000L, host);
    }

    private static long tsNs(SpecificRecord e) {
        if (e instanceof SyscallEvent s) {
            return s.getTsNs();
        }
        return ((GoMapEvent) e).getTsNs();
    }
}
