package io.harbinger.collector;

/**
 * A snapshot of the collector's counters. User-space accounting is exact: produced = delivered + dropped +
 * (still queued, zero after close).
 *
 * @param seen               syscalls that passed the in-kernel allowlists
 * @param sampled            of those, kept by the 1-in-N sampler
 * @param submitted          syscall events written to the kernel ring buffer
 * @param kernelDrops        syscall events lost to a full kernel ring buffer
 * @param goMapKernelDrops   Go-map probe hits lost (kernel ring or hand-over queue full)
 * @param produced           events that entered user space (syscall events read + Go-map snapshots)
 * @param delivered          events the sink confirmed (written / acknowledged by Kafka)
 * @param dropped            events lost in user space (queue full, Kafka delivery failure)
 * @param mapsTracked        Go maps currently watched
 * @param goProcesses        Go processes currently watched
 * @param attachFailures     probe attach failures
 * @param goMapSnapshots     Go-map snapshots emitted
 * @param goMapsDropped      Go maps no longer tracked: header unreadable, process exited or exec'd
 * @param goMapsEvicted      Go maps evicted to stay within max_maps
 */
public record CollectorStats(long seen, long sampled, long submitted, long kernelDrops, long goMapKernelDrops,
                             long produced, long delivered, long dropped, int mapsTracked, int goProcesses,
                             long attachFailures, long goMapSnapshots, long goMapsDropped, long goMapsEvicted) {}
