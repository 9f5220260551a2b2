package io.harbinger.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harbinger.schema.MapKey;
import io.harbinger.schema.MapTrend;
import io.harbinger.schema.SyscallKey;
import io.harbinger.schema.SyscallLatencyWindow;
import io.harbinger.streams.json.JsonViews;
import io.harbinger.streams.latency.LatencyAggregate;
import io.harbinger.streams.latency.LatencySummary;
import io.harbinger.streams.latency.LatencySketches;
import io.harbinger.streams.latency.SyscallLatencyTopology;
import io.harbinger.streams.maps.MapTrendTopology;
import io.harbinger.topics.Topics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Answers the query API from any instance. A key lives in one partition: its active instance answers, or, when
 * that instance does not answer, an instance holding a standby replica (possibly slightly stale). Fleet-wide
 * queries fan out per partition the same way and merge (latency sketches merge exactly as the windows do).
 * Instances talk to each other over the same HTTP API's {@code /v1/local/...} endpoints.
 */
public final class QueryService {
    private static final Logger log = LoggerFactory.getLogger(QueryService.class);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final LocalStores local;
    private final Serializer<SyscallKey> syscallKeySerializer;
    private final Serializer<MapKey> mapKeySerializer;
    private final LatencySketches sketches;
    private final long windowSizeMs;
    private final String bearerToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public QueryService(KafkaStreams streams, HostInfo self, Serde<SyscallKey> syscallKeys,
                        Serializer<MapKey> mapKeySerializer, LatencySketches sketches, Duration window,
                        String bearerToken) {
        this.streams = streams;
        this.self = self;
        this.local = new LocalStores(streams, syscallKeys);
        this.syscallKeySerializer = syscallKeys.serializer();
        this.mapKeySerializer = mapKeySerializer;
        this.sketches = sketches;
        this.windowSizeMs = window.toMillis();
        this.bearerToken = bearerToken;
    }

    // ---------------------------------------------------------------- public API

    /** GET /v1/latency: the key's windows in [from, to], open and closed; 404 when there are none. */
    public ArrayNode latency(SyscallKey key, long fromMs, long toMs) {
        String query = "host=" + enc(key.getHost()) + "&comm=" + enc(key.getComm()) + "&syscall=" + enc(key.getSyscall())
                + "&from=" + fromMs + "&to=" + toMs;
        ArrayNode windows = (ArrayNode) byKey(SyscallLatencyTopology.WINDOW_STORE, key, syscallKeySerializer,
                "/v1/local/latency", query, (p, stale) -> localLatency(key, fromMs, toMs, p, stale));
        if (windows.isEmpty()) {
            throw new QueryException(404, "no windows for host=" + key.getHost() + " comm=" + key.getComm()
                    + " syscall=" + key.getSyscall() + " in [" + fromMs + ", " + toMs + "]");
        }
        return windows;
    }

    /** GET /v1/latency/top: the keys with the highest P99 in the latest closed window, fleet-wide. */
    public ArrayNode top(int n) {
        List<JsonNode> parts = fanOut(SyscallLatencyTopology.LAST_CLOSED_STORE, Topics.SYSCALL_EVENTS,
                "/v1/local/latency/latest", "", this::localLatest);
        long latest = Long.MIN_VALUE;
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode part : parts) {
            for (JsonNode w : part) {
                all.add(w);
                latest = Math.max(latest, w.get("window_start_ms").asLong());
            }
        }
        long newest = latest;
        ArrayNode out = JsonViews.JSON.createArrayNode();
        all.stream().filter(w -> w.get("window_start_ms").asLong() == newest)
                .sorted(Comparator.comparingLong((JsonNode w) -> w.get("p99_ns").asLong()).reversed())
                .limit(n).forEach(out::add);
        return out;
    }

    /** GET /v1/latency/rollup: sketches merged across comms (and hosts when {@code host} is null) per window. */
    public ArrayNode rollup(String syscall, String host, long fromMs, long toMs) {
        String query = "syscall=" + enc(syscall) + (host == null ? "" : "&host=" + enc(host)) + "&from=" + fromMs
                + "&to=" + toMs;
        List<JsonNode> parts = fanOut(SyscallLatencyTopology.WINDOW_STORE, Topics.SYSCALL_EVENTS,
                "/v1/local/latency/rollup", query, (ps, stale) -> localRollup(syscall, host, fromMs, toMs, ps, stale));
        TreeMap<Long, LatencySummary> merged = new TreeMap<>();
        for (JsonNode part : parts) {
            for (JsonNode w : part) {
                merged.merge(w.get("window_start_ms").asLong(), summaryFromJson(w), LatencySummary::merge);
            }
        }
        ArrayNode out = JsonViews.JSON.createArrayNode();
        for (Map.Entry<Long, LatencySummary> e : merged.entrySet()) {
            SyscallKey k = new SyscallKey(host == null ? "*" : host, "*", syscall);
            SyscallLatencyWindow w = SyscallLatencyTopology.toWindow(k, e.getKey(), e.getKey() + windowSizeMs, e.getValue(), false);
            out.add(JsonViews.latencyWindow(w));
        }
        return out;
    }

    /** GET /v1/maps: latest trend of every map (of one host when given). */
    public ArrayNode maps(String host) {
        String query = host == null ? "" : "host=" + enc(host);
        List<JsonNode> parts = fanOut(MapTrendTopology.TRENDS_STORE, Topics.GOMAP_EVENTS, "/v1/local/maps", query,
                (ps, stale) -> localMaps(host, ps, stale));
        ArrayNode out = JsonViews.JSON.createArrayNode();
        List<JsonNode> all = new ArrayList<>();
        parts.forEach(p -> p.forEach(all::add));
        all.sort(Comparator.comparing((JsonNode m) -> m.get("host").asText())
                .thenComparingLong(m -> m.get("pid").asLong()).thenComparingLong(m -> m.get("map_addr").asLong()));
        all.forEach(out::add);
        return out;
    }

    /** GET /v1/maps/{host}/{pid}/{map_addr}. */
    public JsonNode map(MapKey key) {
        String query = "host=" + enc(key.getHost()) + "&pid=" + key.getPid() + "&map_addr=" + key.getMapAddr();
        JsonNode n = byKey(MapTrendTopology.TRENDS_STORE, key, mapKeySerializer, "/v1/local/map", query,
                (p, stale) -> {
                    MapTrend t = local.mapTrend(key, p, stale);
                    return t == null ? JsonViews.JSON.nullNode() : JsonViews.mapTrend(t);
                });
        if (n == null || n.isNull()) {
            throw new QueryException(404, "no map host=" + key.getHost() + " pid=" + key.getPid() + " map_addr="
                    + key.getMapAddr());
        }
        return n;
    }

    // ---------------------------------------------------------------- local answers (also served to peers)

    public ArrayNode localLatency(SyscallKey key, long fromMs, long toMs, int partition, boolean stale) {
        SyscallLatencyWindow closed = local.lastClosed(key, partition, stale);
        long closedStart = closed == null ? Long.MIN_VALUE : closed.getWindowStartMs();
        ArrayNode out = JsonViews.JSON.createArrayNode();
        for (KeyValue<Long, LatencyAggregate> kv : local.latencyWindows(key, fromMs, toMs, partition, stale)) {
            if (kv.value.count() == 0) {
                continue;
            }
            SyscallLatencyWindow w = closed != null && kv.key == closedStart ? closed
                    : SyscallLatencyTopology.toWindow(key, kv.key, kv.key + windowSizeMs, kv.value.summary(sketches),
                    false);
            ObjectNode n = JsonViews.latencyWindow(w);
            n.put("closed", kv.key <= closedStart);
            out.add(n);
        }
        return out;
    }

    public ArrayNode localLatest(Collection<Integer> partitions, boolean stale) {
        List<SyscallLatencyWindow> all = new ArrayList<>();
        local.eachLastClosed(partitions, stale, all::add);
        long latest = all.stream().mapToLong(SyscallLatencyWindow::getWindowStartMs).max().orElse(Long.MIN_VALUE);
        ArrayNode out = JsonViews.JSON.createArrayNode();
        all.stream().filter(w -> w.getWindowStartMs() == latest).forEach(w -> out.add(JsonViews.latencyWindow(w)));
        return out;
    }

    public ArrayNode localRollup(String syscall, String host, long fromMs, long toMs, Collection<Integer> partitions,
                                 boolean stale) {
        Map<Long, LatencySummary> merged = new TreeMap<>();
        local.eachWindow(partitions, stale, fromMs, toMs, (k, start, agg) -> {
            if (k.getSyscall().equals(syscall) && (host == null || k.getHost().equals(host)) && agg.count() > 0) {
                merged.merge(start, agg.summary(sketches), LatencySummary::merge);
            }
        });
        ArrayNode out = JsonViews.JSON.createArrayNode();
        merged.forEach((start, s) -> {
            ObjectNode n = out.addObject().put("window_start_ms", start).put("count", s.count())
                    .put("errors", s.errors()).put("max_ns", s.maxNs())
                    .put("sketch", Base64.getEncoder().encodeToString(s.encodedSketch()));
            ObjectNode errnos = n.putObject("errnos");
            for (int i = 0; i < s.errnoCount(); i++) {
                errnos.put(Integer.toString(s.errno(i)), s.errnoTotal(i));
            }
        });
        return out;
    }

    public ArrayNode localMaps(String host, Collection<Integer> partitions, boolean stale) {
        ArrayNode out = JsonViews.JSON.createArrayNode();
        local.eachMapTrend(partitions, stale, t -> {
            if (host == null || host.equals(t.getHost())) {
                out.add(JsonViews.mapTrend(t));
            }
        });
        return out;
    }

    public JsonNode localMap(MapKey key, int partition, boolean stale) {
        MapTrend t = local.mapTrend(key, partition, stale);
        return t == null ? JsonViews.JSON.nullNode() : JsonViews.mapTrend(t);
    }

    private LatencySummary summaryFromJson(JsonNode w) {
        JsonNode errnos = w.path("errnos");
        int[] codes = new int[errnos.size()];
        long[] counts = new long[errnos.size()];
        int i = 0;
        for (var it = errnos.fields(); it.hasNext(); i++) {
            var e = it.next();
            codes[i] = Integer.parseInt(e.getKey());
            counts[i] = e.getValue().asLong();
        }
        try {
            return LatencySummary.of(Base64.getDecoder().decode(w.get("sketch").asText()), sketches,
                    w.get("count").asLong(), w.get("errors").asLong(), w.get("max_ns").asLong(), codes, counts);
        } catch (IOException | RuntimeException e) {
            throw new QueryException(502, "a peer sent an undecodable rollup: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- routing

    private <K> JsonNode byKey(String store, K key, Serializer<K> serializer, String localPath, String query,
                               BiFunction<Integer, Boolean, JsonNode> localAnswer) {
        KeyQueryMetadata md = streams.queryMetadataForKey(store, key, serializer);
        if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE) {
            throw new QueryException(503, "store " + store + " is not available yet (rebalancing)");
        }
        List<HostInfo> candidates = new ArrayList<>();
        candidates.add(md.activeHost());
        candidates.addAll(md.standbyHosts());
        RuntimeException last = null;
        for (int i = 0; i < candidates.size(); i++) {
            HostInfo h = candidates.get(i);
            boolean stale = i > 0;
            try {
                if (h.equals(self)) {
                    return localAnswer.apply(md.partition(), stale);
                }
                return remote(h, localPath, query + "&partition=" + md.partition() + "&stale=" + stale);
            } catch (InvalidStateStoreException | IOException | QueryException e) {
                last = e instanceof RuntimeException r ? r : new QueryException(502, e.toString());
                log.debug("query of {} at {} failed: {}", store, h, e.toString());
            }
        }
        throw new QueryException(503, "no instance answered for the key in " + store + ": "
                + (last == null ? "none known" : last.getMessage()));
    }

    private List<JsonNode> fanOut(String store, String sourceTopic, String localPath, String query,
                                  BiFunction<Collection<Integer>, Boolean, JsonNode> localAnswer) {
        Collection<StreamsMetadata> instances = streams.streamsMetadataForStore(store);
        Set<Integer> allPartitions = new TreeSet<>();
        Map<HostInfo, Set<Integer>> active = new LinkedHashMap<>();
        Map<HostInfo, Set<Integer>> standby = new LinkedHashMap<>();
        for (StreamsMetadata m : instances) {
            active.put(m.hostInfo(), partitionsOf(m.topicPartitions(), sourceTopic));
            standby.put(m.hostInfo(), partitionsOf(m.standbyTopicPartitions(), sourceTopic));
            allPartitions.addAll(active.get(m.hostInfo()));
            allPartitions.addAll(standby.get(m.hostInfo()));
        }
        List<JsonNode> answers = new ArrayList<>();
        Set<Integer> answered = new TreeSet<>();
        for (Map.Entry<HostInfo, Set<Integer>> e : active.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            try {
                answers.add(ask(e.getKey(), e.getValue(), false, localPath, query, localAnswer));
                answered.addAll(e.getValue());
            } catch (InvalidStateStoreException | IOException | QueryException ex) {
                log.debug("instance {} did not answer {}: {}", e.getKey(), localPath, ex.toString());
            }
        }
        for (int p : allPartitions) {
            if (answered.contains(p)) {
                continue;
            }
            for (Map.Entry<HostInfo, Set<Integer>> e : standby.entrySet()) {
                if (!e.getValue().contains(p)) {
                    continue;
                }
                try {
                    answers.add(ask(e.getKey(), Set.of(p), true, localPath, query, localAnswer));
                    answered.add(p);
                    break;
                } catch (InvalidStateStoreException | IOException | QueryException ex) {
                    log.debug("standby {} did not answer partition {}: {}", e.getKey(), p, ex.toString());
                }
            }
        }
        if (!answered.containsAll(allPartitions) || allPartitions.isEmpty() && instances.isEmpty()) {
            Set<Integer> missing = new TreeSet<>(allPartitions);
            missing.removeAll(answered);
            throw new QueryException(503, "partitions " + (instances.isEmpty() ? "(none assigned yet)" : missing)
                    + " of " + store + " are not available (rebalancing or instances down)");
        }
        return answers;
    }

    private JsonNode ask(HostInfo host, Set<Integer> partitions, boolean stale, String localPath, String query,
                         BiFunction<Collection<Integer>, Boolean, JsonNode> localAnswer) throws IOException {
        if (host.equals(self)) {
            return localAnswer.apply(partitions, stale);
        }
        String ps = partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
        return remote(host, localPath, (query.isEmpty() ? "" : query + "&") + "partitions=" + ps + "&stale=" + stale);
    }

    private JsonNode remote(HostInfo host, String path, String query) throws IOException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path
                        + "?" + query)).timeout(Duration.ofSeconds(5)).GET();
        if (bearerToken != null) {
            req.header("Authorization", "Bearer " + bearerToken);
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (resp.statusCode() != 200) {
            throw new QueryException(resp.statusCode(), "instance " + host + " answered " + resp.statusCode() + ": "
                    + resp.body());
        }
        return JsonViews.JSON.readTree(resp.body());
    }

    private static Set<Integer> partitionsOf(Set<TopicPartition> tps, String topic) {
        Set<Integer> out = new TreeSet<>();
        for (TopicPartition tp : tps) {
            if (tp.topic().equals(topic)) {
                out.add(tp.partition());
            }
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
