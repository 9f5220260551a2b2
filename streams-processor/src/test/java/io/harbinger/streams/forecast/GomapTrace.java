package io.harbinger.streams.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.jsonl.JsonlReader;
import io.harbinger.jsonl.JsonlWriter;
import io.harbinger.schema.GoMapEvent;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gomap recording with its ground truth, in the layout of {@code shared/samples}: {@code DIR/gomap.jsonl}
 * (events in arrival order) and {@code DIR/gomap.truth.json} (threshold; per series its name, key and the
 * event time of the first snapshot at or over the threshold, or null).
 */
record GomapTrace(double threshold, List<GoMapEvent> events, List<TruthSeries> truth) {

    record Key(String host, int pid, long mapAddr) {
        static Key of(GoMapEvent e) {
            return new Key(e.getHost(), e.getPid(), e.getMapAddr());
        }
    }

    record TruthSeries(String name, Key key, Long crossesAtMs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static GomapTrace load(Path dir) throws IOException {
        List<GoMapEvent> events = new ArrayList<>();
        try (JsonlReader in = JsonlReader.open(dir.resolve("gomap.jsonl"))) {
            while (in.hasNext()) {
                SpecificRecord r = in.next();
                if (r instanceof GoMapEvent e) {
                    events.add(e);
                }
            }
        }
        JsonNode t = JSON.readTree(dir.resolve("gomap.truth.json").toFile());
        List<TruthSeries> truth = new ArrayList<>();
        for (JsonNode s : t.get("series")) {
            JsonNode c = s.get("crosses_at_ms");
            truth.add(new TruthSeries(s.get("name").asText(),
                    new Key(s.get("host").asText(), s.get("pid").asInt(), s.get("map_addr").asLong()),
                    c == null || c.isNull() ? null : c.asLong()));
        }
        return new GomapTrace(t.get("threshold").asDouble(), events, truth);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (JsonlWriter out = JsonlWriter.create(dir.resolve("gomap.jsonl"))) {
            for (GoMapEvent e : events) {
                out.write(e);
            }
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("threshold", (long) threshold);
        ArrayNode arr = root.putArray("series");
        for (TruthSeries s : truth) {
            ObjectNode o = arr.addObject();
            o.put("name", s.name());
            o.put("host", s.key().host());
            o.put("pid", s.key().pid());
            o.put("map_addr", s.key().mapAddr());
            if (s.crossesAtMs() == null) {
                o.putNull("crosses_at_ms");
            } else {
                o.put("crosses_at_ms", s.crossesAtMs());
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("gomap.truth.json").toFile(), root);
    }

    /** Per series, (ts_ms, count) in file order, as eval_forecast.py groups them. */
    Map<Key, List<long[]>> samplesByKey() {
        Map<Key, List<long[]>> m = new LinkedHashMap<>();
        for (GoMapEvent e : events) {
            m.computeIfAbsent(Key.of(e), k -> new ArrayList<>()).add(new long[] {e.getTsNs() / 1_000_000, e.getCount()});
        }
        return m;
    }
}
