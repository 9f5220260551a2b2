package io.harbinger.alerting.rule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an alert is about: one Go map (host, pid, map_addr) or one latency series (host, comm, syscall).
 * Identity excludes {@code comm} for maps: a map is the same map whatever its process is called.
 */
public sealed interface Subject {
    enum Kind { MAP, LATENCY }

    Kind kind();

    String host();

    /** Labels rules and silences match on; absent labels are not in the map. */
    Map<String, String> labels();

    /** The identity parts in a fixed order, for the dedup key. */
    java.util.List<String> identity();

    /** A Go map inside one process. {@code comm} is descriptive only (may be null). */
    record GoMap(String host, int pid, long mapAddr, String comm) implements Subject {
        public GoMap {
            Objects.requireNonNull(host, "host");
        }

        @Override
        public Kind kind() {
            return Kind.MAP;
        }

        @Override
        public Map<String, String> labels() {
            Map<String, String> l = new LinkedHashMap<>();
            l.put("host", host);
            l.put("pid", Integer.toString(pid));
            l.put("map_addr", Long.toString(mapAddr));
            if (comm != null) {
                l.put("comm", comm);
            }
            return l;
        }

        @Override
        public java.util.List<String> identity() {
            return java.util.List.of(host, Integer.toString(pid), "0x" + Long.toHexString(mapAddr));
        }
    }

    /** The latency series of one syscall made by one command on one host. */
    record Latency(String host, String comm, String syscall) implements Subject {
        public Latency {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(comm, "comm");
            Objects.requireNonNull(syscall, "syscall");
        }

        @Override
        public Kind kind() {
            return Kind.LATENCY;
        }

        @Override
        public Map<String, String> labels() {
            Map<String, String> l = new LinkedHashMap<>();
            l.put("host", host);
            l.put("comm", comm);
            l.put("syscall", syscall);
            return l;
        }

        @Override
        public java.util.List<String> identity() {
            return java.util.List.of(host, comm, syscall);
        }
    }
}
