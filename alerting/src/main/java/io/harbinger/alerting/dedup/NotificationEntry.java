package io.harbinger.alerting.dedup;

import io.harbinger.alerting.state.AlertStatus;

/**
 * What was last sent for one alert (Alertmanager's notification log entry).
 *
 * @param status WARNING, CRITICAL or RESOLVED
 * @param atMs   event time it was sent at
 */
public record NotificationEntry(AlertStatus status, long atMs) {}
