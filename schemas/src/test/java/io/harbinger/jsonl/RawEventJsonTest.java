package io.harbinger.jsonl;

import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawEventJsonTest {
    static final String SYSCALL = "{\"type\":\"syscall\",\"host\":\"h1\",\"ts_ns\":1767225600000053019,\"pid\":1001,"
            + "\"tid\":1002,\"comm\":\"postgres\",\"cgroup_id\":7,\"syscall_nr\":0,\"syscall\":\"read\","
            + "\"latency_ns\":4761,\"ret\":-2,\"sample_weight\":4}";
    static final String GOMAP = "{\"type\":\"gomap\",\"host\":\"h1\",\"ts_ns\":1767225600000000000,\"pid\":4000,"
            + "\"comm\":\"svc\",\"map_addr\":824634769408,\"go_version\":\"go1.19.8\",\"count\":99636,"
            + "\"log2_buckets\":14,\"overflow_buckets\":327}";

    @Test
    void parsesTheContractExamples() {
        SyscallEvent s = assertInstanceOf(SyscallEvent.class, RawEventJson.parse(SYSCALL));
        assertEquals("h1", s.getHost());
        assertEquals(1767225600000053019L, s.getTsNs());
        assertEquals(1001, s.getPid());
        assertEquals(1002, s.getTid());
        assertEquals(7, s.getCgroupId());
        assertEquals("read", s.getSyscall());
        assertEquals(4761, s.getLatencyNs());
        assertEquals(-2, s.getRet());
        assertEquals(4, s.getSampleWeight());

        GoMapEvent g = assertInstanceOf(GoMapEvent.class, RawEventJson.parse(GOMAP));
        assertEquals(824634769408L, g.getMapAddr());
        assertEquals(99636, g.getCount());
        assertEquals(14, g.getLog2Buckets());
        assertEquals(327, g.getOverflowBuckets());
        assertEquals("go1.19.8", g.getGoVersion());
        assertNull(g.getHash0());
    }

    @Test
    void optionalFieldsDefaultAndUnknownFieldsAreIgnored() {
        SyscallEvent s = (SyscallEvent) RawEventJson.parse(SYSCALL
                .replace(",\"sample_weight\":4", "").replace("\"cgroup_id\":7,", "")
                .replace("}", ",\"extra\":{\"nested\":[1,2]}}"));
        assertEquals(1, s.getSampleWeight());
        assertEquals(0, s.getCgroupId());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not an object             | [1,2]                                         | not a JSON object",
            "broken JSON               | {\"type\":\"syscall\",                        | invalid JSON",
            "no type                   | {\"host\":\"h\"}                              | missing field \"type\"",
            "unknown type              | {\"type\":\"disk\"}                           | unknown type \"disk\"",
            "missing field             | {\"type\":\"syscall\",\"host\":\"h\"}         | missing field",
            "float for integer         | {\"type\":\"gomap\",\"count\":1.5}            | \"count\" must be a JSON integer",
            "string for integer        | {\"type\":\"gomap\",\"pid\":\"4\"}            | \"pid\" must be a JSON integer",
            "number for string         | {\"type\":\"gomap\",\"host\":4}               | \"host\" must be a string",
            "too big                   | {\"type\":\"gomap\",\"count\":99999999999999999999} | does not fit in 64 bits",
            "trailing text             | {\"type\":\"gomap\"} x                        | trailing characters",
    })
    void refusesMalformedLinesWithAReason(String name, String line, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RawEventJson.parse(line));
        assertTrue(e.getMessage().contains(reason), () -> "message '" + e.getMessage() + "' lacks '" + reason + "'");
    }

    @Test
    void refusesOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> RawEventJson.parse(SYSCALL.replace("4761", "-1")));
        assertThrows(IllegalArgumentException.class, () -> RawEventJson.parse(SYSCALL.replace("\"sample_weight\":4", "\"sample_weight\":0")));
        assertThrows(IllegalArgumentException.class, () -> RawEventJson.parse(SYSCALL.replace("\"pid\":1001", "\"pid\":4294967296")));
        assertThrows(IllegalArgumentException.class, () -> RawEventJson.parse(GOMAP.replace("\"log2_buckets\":14", "\"log2_buckets\":65")));
    }
}
