package io.harbinger.streams.maps;

import io.harbinger.serde.WireFormatException;
import io.harbinger.streams.forecast.MapGrowthModel;

import java.nio.ByteBuffer;

/**
 * What the processor keeps per Go map between snapshots: the hash seed that identifies this map instance (a new
 * seed at the same address is a new map), the previous overflow ratio for its rate of change, and the growth model.
 */
final class MapState {
    private static final byte VERSION = 1;
    /** Smoothing of the overflow-ratio rate: each new rate counts this much. */
    private static final double RATE_ALPHA = 0.3;

    Long hash0;
    String comm;
    long lastTsMs = Long.MIN_VALUE;
    double lastOverflowRatio;
    double overflowRatePerMin;
    final MapGrowthModel model;

    MapState(MapGrowthModel model) {
        this.model = model;
    }

    /** Updates the smoothed overflow-ratio rate with a snapshot at {@code tsMs}. */
    void observeOverflow(long tsMs, double ratio) {
        if (lastTsMs != Long.MIN_VALUE && tsMs > lastTsMs) {
            double rate = (ratio - lastOverflowRatio) / ((tsMs - lastTsMs) / 60_000.0);
            overflowRatePerMin = overflowRatePerMin == 0 ? rate : RATE_ALPHA * rate + (1 - RATE_ALPHA) * overflowRatePerMin;
        }
        if (tsMs >= lastTsMs) {
            lastTsMs = tsMs;
            lastOverflowRatio = ratio;
        }
    }

    byte[] toBytes() {
        byte[] model = this.model.toBytes();
        byte[] commBytes = comm == null ? new byte[0] : comm.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 1 + 8 + 8 + 8 + 8 + 4 + commBytes.length + 4 + model.length);
        b.put(VERSION);
        b.put((byte) (hash0 == null ? 0 : 1));
        b.putLong(hash0 == null ? 0 : hash0);
        b.putLong(lastTsMs);
        b.putDouble(lastOverflowRatio);
        b.putDouble(overflowRatePerMin);
        b.putInt(commBytes.length).put(commBytes);
        b.putInt(model.length).put(model);
        return b.array();
    }

    static MapState fromBytes(byte[] bytes, MapGrowthModel.Config tuning) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get() != VERSION) {
                throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "unknown map state version");
            }
            boolean hasHash = b.get() == 1;
            long hash = b.getLong();
            long lastTs = b.getLong();
            double lastRatio = b.getDouble();
            double rate = b.getDouble();
            byte[] comm = new byte[b.getInt()];
            b.get(comm);
            byte[] model = new byte[b.getInt()];
            b.get(model);
            MapState s = new MapState(MapGrowthModel.fromBytes(model, tuning));
            s.hash0 = hasHash ? hash : null;
            s.lastTsMs = lastTs;
            s.lastOverflowRatio = lastRatio;
            s.overflowRatePerMin = rate;
            s.comm = comm.length == 0 ? null : new String(comm, java.nio.charset.StandardCharsets.UTF_8);
            return s;
        } catch (RuntimeException e) {
            if (e instanceof WireFormatException w) {
                throw w;
            }
            throw new WireFormatException(WireFormatException.Reason.CORRUPT_PAYLOAD, "map state does not decode: " + e, e);
        }
    }
}
