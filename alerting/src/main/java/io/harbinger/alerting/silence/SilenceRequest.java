package io.harbinger.alerting.silence;

import com.fasterxml.jackson.databind.JsonNode;
import io.harbinger.alerting.rule.Durations;
import io.harbinger.schema.Silence;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Validates the body of {@code POST /v1/silences} into a {@link Silence}:
 * <pre>
 * {"matchers": {"host": "web-1", "rule": "gomap-growth"},   required, exact values, all must match
 *  "starts_at_ms": 1767225600000,                           optional, default now
 *  "ends_at_ms": 1767232800000 | "duration": "2h",          one of them
 *  "created_by": "alice", "comment": "deploy", "id": "..."} optional; id defaults to a random UUID
 * </pre>
 */
public final class SilenceRequest {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,63}");

    private SilenceRequest() {}

    /** @throws IllegalArgumentException with a one-line reason (the API answers 400 with it) */
    public static Silence parse(JsonNode body, long nowMs) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!java.util.Set.of("matchers", "starts_at_ms", "ends_at_ms", "duration", "created_by", "comment", "id")
                    .contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "' (known: matchers, starts_at_ms, "
                        + "ends_at_ms, duration, created_by, comment, id)");
            }
        }
        JsonNode m = body.get("matchers");
        if (m == null || !m.isObject() || m.isEmpty()) {
            throw new IllegalArgumentException("matchers must be a non-empty object of label to value");
        }
        Map<String, String> matchers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!LABEL.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("matcher label '" + e.getKey() + "' is not a label name");
            }
            if (!e.getValue().isValueNode() || e.getValue().isNull() || e.getValue().asText().isEmpty()) {
                throw new IllegalArgumentException("matcher '" + e.getKey() + "' needs a non-empty value");
            }
            String v = e.getValue().asText();
            if (e.getKey().equals("severity") && !(v.equalsIgnoreCase("warning") || v.equalsIgnoreCase("critical"))) {
                throw new IllegalArgumentException("matcher severity must be warning or critical, got '" + v + "'");
            }
            matchers.put(e.getKey(), v);
        }
        long starts = body.has("starts_at_ms") ? longField(body, "starts_at_ms") : nowMs;
        long ends;
        if (body.has("ends_at_ms") == body.has("duration")) {
            throw new IllegalArgumentException("give exactly one of ends_at_ms and duration");
        } else if (body.has("ends_at_ms")) {
            ends = longField(body, "ends_at_ms");
        } else {
            ends = starts + Durations.parse(body.get("duration").asText()).toMillis();
        }
        if (ends <= starts) {
            throw new IllegalArgumentException("the silence ends (" + ends + ") before it starts (" + starts + ")");
        }
        if (ends <= nowMs) {
            throw new IllegalArgumentException("the silence has already ended");
        }
        String id = body.has("id") ? body.get("id").asText() : UUID.randomUUID().toString();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be 1-64 of letters, digits, '_', '.', ':', '-'");
        }
        return Silence.newBuilder().setId(id).setMatchers(matchers).setStartsAtMs(starts).setEndsAtMs(ends)
                .setCreatedBy(text(body, "created_by")).setComment(text(body, "comment")).build();
    }

    private static long longField(JsonNode body, String f) {
        JsonNode n = body.get(f);
        if (!n.canConvertToLong() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException(f + " must be epoch milliseconds");
        }
        return n.asLong();
    }

    private static String text(JsonNode body, String f) {
        JsonNode n = body.get(f);
        return n == null || n.isNull() ? null : n.asText();
    }
}
