package io.harbinger.jsonl;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random harness: 100,000 mutated and random lines through the JSONL reader. Every line must either parse
 * or fail with a {@link JsonlFormatException} naming its line: no other exception, no lost line.
 */
class JsonlFuzzTest {
    private static final String[] SEEDS = {RawEventJsonTest.SYSCALL, RawEventJsonTest.GOMAP};
    private static final String ALPHABET = "{}[]\":,0123456789-.eEtruefalsnl \\u00ff\t\r";

    @Test
    void hundredThousandRandomLinesNeverCrashTheReader() throws IOException {
        Random rnd = new Random(0x5eed);
        int lines = 100_000;
        StringBuilder text = new StringBuilder(lines * 80);
        for (int i = 0; i < lines; i++) {
            text.append(mutate(rnd)).append('\n');
        }
        int parsed = 0;
        int refused = 0;
        long lastLine = 0;
        try (JsonlReader r = new JsonlReader(new StringReader(text.toString()), "fuzz")) {
            while (r.hasNext()) {
                try {
                    r.next();
                    parsed++;
                } catch (JsonlFormatException e) {
                    refused++;
                    assertTrue(e.line() > lastLine, "line numbers must advance");
                    assertTrue(e.getMessage().startsWith("fuzz:" + e.line() + ": "), e.getMessage());
                }
                lastLine = r.lineNumber();
            }
        }
        assertEquals(lines, lastLine, "every line accounted for (no blank lines are generated)");
        assertEquals(lines, parsed + refused);
        assertTrue(parsed > 1000 && refused > 1000, "the harness exercises both paths: " + parsed + "/" + refused);
    }

    private static String mutate(Random rnd) {
        String seed = SEEDS[rnd.nextInt(SEEDS.length)];
        StringBuilder s = new StringBuilder(seed);
        int kind = rnd.nextInt(10);
        if (kind == 0) {
            return seed; // valid
        }
        if (kind == 1) {
            StringBuilder r = new StringBuilder();
            int n = 1 + rnd.nextInt(120);
            for (int i = 0; i < n; i++) {
                r.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
            }
            return r.toString().isBlank() ? "x" : r.toString();
        }
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && s.length() > 1; e++) {
            int at = rnd.nextInt(s.length());
            switch (rnd.nextInt(4)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                case 2 -> s.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                default -> s.setLength(at + 1);
            }
        }
        String out = s.toString().replace('\n', ' ');
        return out.isBlank() ? "x" : out;
    }
}
