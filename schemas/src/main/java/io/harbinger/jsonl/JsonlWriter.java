package io.harbinger.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import org.apache.avro.specific.SpecificRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes raw events as JSONL in the field order of CONTRACTS.md. One generator is reused for every line, so
 * writing allocates nothing per event beyond Jackson's own buffers. Not thread-safe.
 */
public final class JsonlWriter implements AutoCloseable {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private final Writer out;
    private final JsonGenerator gen;

    public JsonlWriter(Writer out) throws IOException {
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 1 << 16);
        this.gen = JSON.createGenerator(this.out);
        gen.setRootValueSeparator(null);
    }

    public JsonlWriter(OutputStream out) throws IOException {
        this(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    }

    public static JsonlWriter create(Path file) throws IOException {
        return new JsonlWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    public void write(SpecificRecord event) throws IOException {
        if (event instanceof SyscallEvent s) {
            write(s);
        } else if (event instanceof GoMapEvent g) {
            write(g);
        } else {
            throw new IllegalArgumentException("not a raw event: " + event.getSchema().getFullName());
        }
    }

    public void write(SyscallEvent e) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("type", "syscall");
        gen.writeStringField("host", e.getHost());
        gen.writeNumberField("ts_ns", e.getTsNs());
        gen.writeNumberField("pid", e.getPid());
        gen.writeNumberField("tid", e.getTid());
        gen.writeStringField("comm", e.getComm());
        gen.writeNumberField("cgroup_id", e.getCgroupId());
        gen.writeNumberField("syscall_nr", e.getSyscallNr());
        gen.writeStringField("syscall", e.getSyscall());
        gen.writeNumberField("latency_ns", e.getLatencyNs());
        gen.writeNumberField("ret", e.getRet());
        gen.writeNumberField("sample_weight", e.getSampleWeight());
        gen.writeEndObject();
        gen.writeRaw('\n');
    }

    public void write(GoMapEvent e) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("type", "gomap");
        gen.writeStringField("host", e.getHost());
        gen.writeNumberField("ts_ns", e.getTsNs());
        gen.writeNumberField("pid", e.getPid());
        gen.writeStringField("comm", e.getComm());
        gen.writeNumberField("map_addr", e.getMapAddr());
        gen.writeStringField("go_version", e.getGoVersion());
        gen.writeNumberField("count", e.getCount());
        gen.writeNumberField("log2_buckets", e.getLog2Buckets());
        gen.writeNumberField("overflow_buckets", e.getOverflowBuckets());
        if (e.getHash0() != null) {
            gen.writeNumberField("hash0", e.getHash0());
        }
        gen.writeEndObject();
        gen.writeRaw('\n');
    }

    public void flush() throws IOException {
        gen.flush();
    }

    @Override
    public void close() throws IOException {
        gen.close();
        out.close();
    }
}
