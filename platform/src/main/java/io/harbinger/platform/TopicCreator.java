package io.harbinger.platform;

import io.harbinger.topics.Topics.TopicDefinition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates topics that do not exist yet, with their partition counts and cleanup policy; idempotent (a topic that
 * exists, or that another client creates at the same moment, is left as it is).
 */
public final class TopicCreator {
    private final Admin admin;
    private final short replicationFactor;
    private final Duration timeout;

    public TopicCreator(Admin admin, short replicationFactor, Duration timeout) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
        this.timeout = timeout;
    }

    /** Creates the missing ones among {@code topics}; returns the names it created. */
    public List<String> createMissing(Collection<TopicDefinition> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicDefinition t : topics) {
                if (!existing.contains(t.name())) {
                    NewTopic nt = new NewTopic(t.name(), t.partitions(), replicationFactor);
                    if (t.compacted()) {
                        nt.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                    }
                    missing.add(nt);
                }
            }
            List<String> created = new ArrayList<>();
            var results = admin.createTopics(missing).values();
            for (NewTopic nt : missing) {
                try {
                    results.get(nt.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(nt.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new PlatformException("failed to create topic " + nt.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            return created;
        } catch (ExecutionException e) {
            throw new PlatformException("failed to list topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PlatformException("failed to create topics: no answer from Kafka within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while creating topics");
        }
    }
}
