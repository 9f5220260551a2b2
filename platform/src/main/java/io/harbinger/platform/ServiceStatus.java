package io.harbinger.platform;

import java.util.OptionalLong;

/**
 * What {@code harbinger status} reports for one service.
 *
 * @param state    RUNNING: process alive and answering; UNRESPONSIVE: alive but not answering; STOPPED: no process
 * @param endpoint where clients reach it
 * @param detail   a short note: topic count, registry version, or why it does not answer
 */
public record ServiceStatus(String name, State state, OptionalLong pid, String endpoint, String detail) {
    public enum State { RUNNING, UNRESPONSIVE, STOPPED }

    public boolean running() {
        return state == State.RUNNING;
    }

    /** One aligned line, e.g. {@code kafka     RUNNING  pid 4242   127.0.0.1:9092  7 topics}. */
    public String line() {
        String p = pid.isPresent() ? "pid " + pid.getAsLong() : "-";
        return String.format("%-9s %-12s %-11s %-45s %s", name, state, p, endpoint, detail).stripTrailing();
    }
}
