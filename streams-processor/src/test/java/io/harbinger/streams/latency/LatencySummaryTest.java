package io.harbinger.streams.latency;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A summary travels between instances (rollups) as its encoded sketch: what one side encodes, the other decodes. */
class LatencySummaryTest {
    @Test
    void encodedSketchDecodesToTheSameQuantiles() throws Exception {
        LatencyAggregate agg = LatencyAggregate.empty();
        for (int i = 1; i <= 10_000; i++) {
            agg.add(LatencyAggregateTest.event(1_000L + i * 37L, i % 100 == 0 ? -2 : 0, 1), LatencyAggregateTest.SKETCHES);
        }
        LatencySummary s = agg.summary(LatencyAggregateTest.SKETCHES);
        LatencySummary back = LatencySummary.of(s.encodedSketch(), LatencyAggregateTest.SKETCHES, s.count(), s.errors(),
                s.maxNs(), new int[0], new long[0]);
        for (double q : new double[] {0.5, 0.99, 0.999}) {
            assertEquals(s.quantileNs(q), back.quantileNs(q), "q=" + q);
        }
        LatencySummary merged = back.merge(LatencySummary.of(s.encodedSketch(), LatencyAggregateTest.SKETCHES, s.count(),
                s.errors(), s.maxNs(), new int[0], new long[0]));
        assertEquals(s.quantileNs(0.99), merged.quantileNs(0.99));
        assertEquals(2 * s.count(), merged.count());
    }
}
