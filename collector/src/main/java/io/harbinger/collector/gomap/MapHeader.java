package io.harbinger.collector.gomap;

/**
 * What the collector reports of one Go map: len, log2 of the bucket (group) count, overflow buckets, hash seed.
 */
public record MapHeader(long count, int log2Buckets, long overflowBuckets, long hash0) {}
