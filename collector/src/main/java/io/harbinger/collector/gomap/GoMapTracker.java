package io.harbinger.collector.gomap;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which maps are watched and what was last reported of each; pure logic over a {@link MemoryReader}.
 * A snapshot is reported when a map is first read and whenever count, B or noverflow change. A different
 * hash0 at a known address is a new map (the old one was freed and the memory reused): reported as such.
 * A map whose memory no longer reads as a map is dropped. At most {@code maxMaps} are tracked; beyond that the
 * least recently discovered is evicted (counted).
 */
public final class GoMapTracker {

    /** Receives one changed snapshot. */
    @FunctionalInterface
    public interface ChangeListener {
        void changed(int pid, long addr, MapHeader header, boolean reusedAddress);
    }

    private static final class Tracked {
        MapHeader last;
    }

    private final int maxMaps;
    private final Map<Integer, LinkedHashMap<Long, Tracked>> byPid = new HashMap<>();
    private int size;
    private long evicted;
    private long vanished;
    private long forgotten;
    private long discoveredMaps;
    private long reused;

    public GoMapTracker(int maxMaps) {
        if (maxMaps < 1) {
            throw new IllegalArgumentException("max tracked maps must be >= 1");
        }
        this.maxMaps = maxMaps;
    }

    /** A map header address seen at a growth probe; already tracked ones are refreshed in recency. */
    public void discovered(int pid, long addr) {
        LinkedHashMap<Long, Tracked> maps = byPid.computeIfAbsent(pid, p -> new LinkedHashMap<>(16, 0.75f, true));
        if (maps.get(addr) != null) {
            return;
        }
        if (size >= maxMaps) {
            evictOne();
        }
        maps.put(addr, new Tracked());
        size++;
        discoveredMaps++;
    }

    private void evictOne() {
        // the pid with the most maps gives up its least recently discovered one
        LinkedHashMap<Long, Tracked> victim = null;
        for (LinkedHashMap<Long, Tracked> m : byPid.values()) {
            if (victim == null || m.size() > victim.size()) {
                victim = m;
            }
        }
        if (victim != null && !victim.isEmpty()) {
            Iterator<Long> it = victim.keySet().iterator();
            it.next();
            it.remove();
            size--;
            evicted++;
        }
    }

    /**
     * Reads every tracked map of pid and reports changes. Throws when the process's memory cannot be read at
     * all (the caller then checks whether it is gone); a single unreadable or implausible header only drops it.
     */
    public void poll(int pid, MemoryReader mem, MapLayout layout, ChangeListener listener) {
        LinkedHashMap<Long, Tracked> maps = byPid.get(pid);
        if (maps == null) {
            return;
        }
        Iterator<Map.Entry<Long, Tracked>> it = maps.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Tracked> e = it.next();
            if (!refresh(pid, e.getKey(), e.getValue(), mem, layout, listener)) {
                it.remove();
            }
        }
    }

    /**
     * Reads one tracked map of pid (the one a growth probe just reported) and reports a change; an unreadable or
     * implausible header drops it. Reading only that map keeps a burst of growths linear, not quadratic, in the maps
     * the process has.
     */
    public void poll(int pid, long addr, MemoryReader mem, MapLayout layout, ChangeListener listener) {
        LinkedHashMap<Long, Tracked> maps = byPid.get(pid);
        Tracked t = maps == null ? null : maps.get(addr);
        if (t != null && !refresh(pid, addr, t, mem, layout, listener)) {
            maps.remove(addr);
        }
    }

    /** Reads one map's header; false (counted as vanished, the caller removes it) when it no longer reads as a map. */
    private boolean refresh(int pid, long addr, Tracked t, MemoryReader mem, MapLayout layout,
                            ChangeListener listener) {
        MapHeader now;
        try {
            now = layout.read(mem, addr).orElse(null);
        } catch (IOException ex) {
            now = null;
        }
        if (now == null) {
            size--;
            vanished++;
            return false;
        }
        boolean isReused = t.last != null && t.last.hash0() != now.hash0();
        if (isReused) {
            reused++;
        }
        if (t.last == null || !now.equals(t.last)) {
            t.last = now;
            listener.changed(pid, addr, now, isReused);
        }
        return true;
    }

    /** The process exited or exec'd: forget its maps. */
    public void forget(int pid) {
        LinkedHashMap<Long, Tracked> maps = byPid.remove(pid);
        if (maps != null) {
            size -= maps.size();
            forgotten += maps.size();
        }
    }

    public Iterable<Integer> pids() {
        return byPid.keySet();
    }

    public int tracked() {
        return size;
    }

    public int tracked(int pid) {
        LinkedHashMap<Long, Tracked> maps = byPid.get(pid);
        return maps == null ? 0 : maps.size();
    }

    public long evicted() {
        return evicted;
    }

    public long vanished() {
        return vanished;
    }

    /** Maps ever discovered: each is tracked, evicted, vanished or forgotten. */
    public long discoveredMaps() {
        return discoveredMaps;
    }

    /** Maps dropped because their process exited or exec'd. */
    public long forgotten() {
        return forgotten;
    }

    public long reusedAddresses() {
        return reused;
    }
}
