package io.harbinger.platform;

import io.harbinger.platform.testing.EmbeddedKafkaCluster;
import io.harbinger.platform.testing.TestSchemaRegistry;
import io.harbinger.schema.GoMapEvent;
import io.harbinger.schema.MapKey;
import io.harbinger.serde.GenericAvroDeserializer;
import io.harbinger.serde.SchemaRegistryClient;
import io.harbinger.serde.SerdeConfig;
import io.harbinger.serde.SpecificAvroDeserializer;
import io.harbinger.serde.SpecificAvroSerializer;
import io.harbinger.serde.WireFormat;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records serialized through the real Hortonworks registry by one client come back, field for field, in a fresh
 * client that knows nothing but the registry URL (no shared cache), through the real broker.
 */
class RegistryInteropIT {

    @Test
    void aFreshClientDecodesWhatAnotherSerializedThroughTheRegistry() throws Exception {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.shared();
        String url = TestSchemaRegistry.shared().url();
        String topic = "interop-gomap";
        kafka.createTopic(topic, 2);
        Map<String, Object> serde = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url);

        List<GoMapEvent> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(GoMapEvent.newBuilder().setHost("h" + (i % 3)).setTsNs(1_767_225_600_000_000_000L + i * 1_000_000_000L)
                    .setPid(4000 + i % 5).setComm("svc").setMapAddr(824_634_769_408L + i % 5).setGoVersion("go1.19.8")
                    .setCount(1000L * i).setLog2Buckets(7).setOverflowBuckets(i % 11).setHash0(i % 2 == 0 ? null : (long) i)
                    .build());
        }
        try (var keys = new SpecificAvroSerializer<>(MapKey.class); var values = new SpecificAvroSerializer<>(GoMapEvent.class);
             var producer = new KafkaProducer<>(kafka.clientConfig(), keys, values)) {
            keys.configure(serde, true);
            values.configure(serde, false);
            for (GoMapEvent e : sent) {
                producer.send(new ProducerRecord<>(topic, new MapKey(e.getHost(), e.getPid(), e.getMapAddr()), e));
            }
            producer.flush();
        }

        List<ConsumerRecord<byte[], byte[]>> raw = kafka.consume(topic, sent.size(), Duration.ofSeconds(30));
        assertEquals(sent.size(), raw.size());
        // a new registry client: no cache shared with the serializer above
        SchemaRegistryClient fresh = new SchemaRegistryClient(SerdeConfig.forUrl(url));
        var specific = new SpecificAvroDeserializer<>(GoMapEvent.class, fresh);
        var specificKeys = new SpecificAvroDeserializer<>(MapKey.class, fresh);
        var generic = new GenericAvroDeserializer(new SchemaRegistryClient(SerdeConfig.forUrl(url)));
        Map<String, GoMapEvent> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : raw) {
            assertEquals(WireFormat.MAGIC_BYTE, r.value()[0], "Confluent magic byte");
            int id = ByteBuffer.wrap(r.value(), 1, 4).getInt();
            assertEquals(GoMapEvent.getClassSchema(), fresh.byId(id), "the registry returns the writer schema by id");
            GoMapEvent e = specific.deserialize(topic, r.value());
            MapKey k = specificKeys.deserialize(topic, r.key());
            assertEquals(new MapKey(e.getHost(), e.getPid(), e.getMapAddr()), k);
            GenericRecord g = generic.deserialize(topic, r.value());
            assertEquals(e.getCount(), g.get("count"));
            assertEquals(e.getHash0(), g.get("hash0"));
            byId.put(e.getHost() + "/" + e.getTsNs(), e);
        }
        for (GoMapEvent e : sent) {
            assertEquals(e, byId.get(e.getHost() + "/" + e.getTsNs()));
        }
    }

}
