package io.harbinger.collector.publish;

import io.harbinger.jsonl.JsonlWriter;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.SyscallEvent;
import java.io.IOException;
import org.apache.avro.specific.SpecificRecord;
import java.io.UncheckedIOException;

/** Writes events as CONTRACTS.md JSONL (core's {@link JsonlWriter}); a write error stops the recording. */
public final class JsonlSink implements EventSink {
    private final JsonlWriter writer;
    private final DeliveryCounters counters = new DeliveryCounters();

    public JsonlSink(JsonlWriter writer) {
        this.writer = writer;
    }

    @Override
    public void syscall(SyscallEvent e) {
        write(e);
    }

    @Override
    public void goMap(GoMapEvent e) {
        write(e);
    }

    private void write(SpecificRecord e) {
        try {
            writer.write(e);
            counters.delivered();
        } catch (IOException ex) {
            counters.dropped();
            throw new UncheckedIOException("failed to write recording: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void flush() {
        try {
            writer.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("failed to write recording: " + ex.getMessage(), ex);
        }
    }

    @Override
    public DeliveryCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException ex) {
            throw new UncheckedIOException("failed to close recording: " + ex.getMessage(), ex);
        }
    }
}
