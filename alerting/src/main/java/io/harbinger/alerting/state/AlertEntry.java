package io.harbinger.alerting.state;

import io.harbinger.alerting.dedup.NotificationEntry;
import io.harbinger.alerting.rule.Subject;

/**
 * Everything kept per (rule, subject) alert in the state store: who it is about, its lifecycle state, what was
 * last notified, and why it is muted. Stored as JSON under its dedup key; changelogged.
 *
 * @param silencedBy  id of the silence muting it at the latest evaluation, or null
 * @param inhibitedBy dedup key of the CRITICAL alert inhibiting it, or null
 */
public record AlertEntry(String dedupKey, String rule, Subject.Kind kind, String host, Integer pid, Long mapAddr,
                         String comm, String syscall, AlertState state, NotificationEntry notified,
                         String silencedBy, String inhibitedBy) {

    public static AlertEntry create(String dedupKey, String rule, Subject subject) {
        if (subject instanceof Subject.GoMap m) {
            return new AlertEntry(dedupKey, rule, Subject.Kind.MAP, m.host(), m.pid(), m.mapAddr(), m.comm(), null,
                    AlertState.INITIAL, null, null, null);
        }
        Subject.Latency l = (Subject.Latency) subject;
        return new AlertEntry(dedupKey, rule, Subject.Kind.LATENCY, l.host(), null, null, l.comm(), l.syscall(),
                AlertState.INITIAL, null, null, null);
    }

    public Subject subject() {
        return kind == Subject.Kind.MAP ? new Subject.GoMap(host, pid, mapAddr, comm)
                : new Subject.Latency(host, comm, syscall);
    }

    public AlertEntry withState(AlertState s) {
        return new AlertEntry(dedupKey, rule, kind, host, pid, mapAddr, comm, syscall, s, notified, silencedBy,
                inhibitedBy);
    }

    public AlertEntry withNotified(NotificationEntry n) {
        return new AlertEntry(dedupKey, rule, kind, host, pid, mapAddr, comm, syscall, state, n, silencedBy,
                inhibitedBy);
    }

    public AlertEntry withMuting(String silence, String inhibitor) {
        return new AlertEntry(dedupKey, rule, kind, host, pid, mapAddr, comm, syscall, state, notified, silence,
                inhibitor);
    }

    /** Refreshes descriptive fields (a map's process may have been renamed). */
    public AlertEntry withComm(String c) {
        return new AlertEntry(dedupKey, rule, kind, host, pid, mapAddr, c, syscall, state, notified, silencedBy,
                inhibitedBy);
    }
}
