package io.harbinger.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;

/**
 * Parses one raw-event JSON line (CONTRACTS.md "Raw events as JSONL") into a {@link SyscallEvent} or a
 * {@link GoMapEvent}. Pure: a string in, a record or an {@link IllegalArgumentException} naming the problem out.
 * Integers must be JSON integers; unknown fields are ignored so newer recordings still load.
 */
public final class RawEventJson {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private RawEventJson() {}

    public static SpecificRecord parse(String line) {
        char[] chars = line.toCharArray();
        return parse(chars, 0, chars.length);
    }

    /** Parses {@code len} characters of {@code buf} from {@code off}. */
    public static SpecificRecord parse(char[] buf, int off, int len) {
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                f.set(name, v, p);
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("unterminated JSON object");
            }
            if (hasTrailingContent(p)) {
                throw new IllegalArgumentException("trailing characters after the JSON object");
            }
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getMessage());
        }
        if (f.type == null) {
            throw new IllegalArgumentException("missing field \"type\" (\"syscall\" or \"gomap\")");
        }
        return switch (f.type) {
            case "syscall" -> f.syscall();
            case "gomap" -> f.gomap();
            default -> throw new IllegalArgumentException("unknown type \"" + f.type + "\" (expected syscall or gomap)");
        };
    }

    private static boolean hasTrailingContent(JsonParser p) {
        try {
            return p.nextToken() != null;
        } catch (IOException e) {
            return true;
        }
    }

    /** The union of both event types' fields, as parsed; null/unset where absent. */
    private static final class Fields {
        String type, host, comm, syscall, goVersion;
        Long tsNs, pid, tid, cgroupId, syscallNr, latencyNs, ret, sampleWeight, mapAddr, count, log2Buckets,
                overflowBuckets, hash0;

        void set(String name, JsonToken v, JsonParser p) throws IOException {
            switch (name) {
                case "type" -> type = text(name, v, p);
                case "host" -> host = text(name, v, p);
                case "comm" -> comm = text(name, v, p);
                case "syscall" -> syscall = text(name, v, p);
                case "go_version" -> goVersion = text(name, v, p);
                case "ts_ns" -> tsNs = integer(name, v, p);
                case "pid" -> pid = integer(name, v, p);
                case "tid" -> tid = integer(name, v, p);
                case "cgroup_id" -> cgroupId = integer(name, v, p);
                case "syscall_nr" -> syscallNr = integer(name, v, p);
                case "latency_ns" -> latencyNs = integer(name, v, p);
                case "ret" -> ret = integer(name, v, p);
                case "sample_weight" -> sampleWeight = integer(name, v, p);
                case "map_addr" -> mapAddr = integer(name, v, p);
                case "count" -> count = integer(name, v, p);
                case "log2_buckets" -> log2Buckets = integer(name, v, p);
                case "overflow_buckets" -> overflowBuckets = integer(name, v, p);
                case "hash0" -> hash0 = v == JsonToken.VALUE_NULL ? null : integer(name, v, p);
                default -> p.skipChildren();
            }
        }

        SyscallEvent syscall() {
            long weight = sampleWeight == null ? 1 : sampleWeight;
            if (weight < 1 || weight > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("sample_weight must be >= 1, got " + weight);
            }
            // the all-fields constructor: the builder's per-field validation and defaults cost more than parsing
            return new SyscallEvent(required("host", host), nonNegative("ts_ns", tsNs), int32("pid", pid),
                    int32("tid", tid), required("comm", comm), cgroupId == null ? 0L : cgroupId,
                    int32("syscall_nr", syscallNr), required("syscall", syscall), nonNegative("latency_ns", latencyNs),
                    required("ret", ret), (int) weight);
        }

        GoMapEvent gomap() {
            long b = required("log2_buckets", log2Buckets);
            if (b < 0 || b > 63) { // Go's B: 2^B buckets, shifts masked to 63
                throw new IllegalArgumentException("log2_buckets must be within 0..63, got " + b);
            }
            return new GoMapEvent(required("host", host), nonNegative("ts_ns", tsNs), int32("pid", pid),
                    required("comm", comm), required("map_addr", mapAddr), goVersion == null ? "unknown" : goVersion,
                    nonNegative("count", count), (int) b, nonNegative("overflow_buckets", overflowBuckets), hash0);
        }

        private static <T> T required(String name, T v) {
            if (v == null) {
                throw new IllegalArgumentException("missing field \"" + name + "\"");
            }
            return v;
        }

        private static long nonNegative(String name, Long v) {
            long x = required(name, v);
            if (x < 0) {
                throw new IllegalArgumentException("\"" + name + "\" must be >= 0, got " + x);
            }
            return x;
        }

        private static int int32(String name, Long v) {
            long x = required(name, v);
            if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("\"" + name + "\" out of range: " + x);
            }
            return (int) x;
        }

        private static String text(String name, JsonToken v, JsonParser p) throws IOException {
            if (v != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("\"" + name + "\" must be a string");
            }
            return p.getText();
        }

        private static long integer(String name, JsonToken v, JsonParser p) throws IOException {
            if (v != JsonToken.VALUE_NUMBER_INT) {
                throw new IllegalArgumentException("\"" + name + "\" must be a JSON integer");
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new IllegalArgumentException("\"" + name + "\" does not fit in 64 bits");
            }
            return p.getLongValue();
        }
    }
}
