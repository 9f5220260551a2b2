package io.harbinger.platform.replay;

import java.util.OptionalDouble;

/**
 * When each event of a recording is due, in wall-clock time: event time since the first event, divided by the
 * speed. Pure: the caller supplies the clock reading and sleeps for what {@link #waitNanos} returns.
 */
public final class ReplayPacer {
    private final OptionalDouble speed;
    private long firstEventNs = Long.MIN_VALUE;
    private long wallStartNs;

    public ReplayPacer(OptionalDouble speed) {
        this.speed = speed;
    }

    /** How long to wait before sending an event with timestamp {@code eventNs}, when the clock reads {@code nowNs}. */
    public long waitNanos(long eventNs, long nowNs) {
        if (speed.isEmpty()) {
            return 0;
        }
        if (firstEventNs == Long.MIN_VALUE) {
            firstEventNs = eventNs;
            wallStartNs = nowNs;
            return 0;
        }
        // events a little out of order (several CPUs) are sent at once, never "back in time"
        long dueNs = wallStartNs + (long) ((eventNs - firstEventNs) / speed.getAsDouble());
        return Math.max(0, dueNs - nowNs);
    }
}
