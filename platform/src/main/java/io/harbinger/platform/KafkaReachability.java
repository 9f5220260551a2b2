package io.harbinger.platform;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Checks, before a command starts its work, that Kafka answers and a topic exists: one clear line otherwise. */
public final class KafkaReachability {
    private KafkaReachability() {}

    /** The topic names of the cluster; throws "cannot reach Kafka at X" when it does not answer in time. */
    public static Set<String> topics(Map<String, Object> clientConfig, Duration timeout) {
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(c)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).nodes()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return admin.listTopics().names().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while connecting to Kafka");
        } catch (Exception e) {
            throw new PlatformException("cannot reach Kafka at " + clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + " (is it up? ./harbinger up, or pass --bootstrap-server)");
        }
    }

    public static void requireTopic(Map<String, Object> clientConfig, String topic, Duration timeout) {
        Set<String> topics = topics(clientConfig, timeout);
        if (!topics.contains(topic)) {
            throw new PlatformException("topic " + topic + " does not exist (topics: "
                    + String.join(", ", new java.util.TreeSet<>(topics)) + ")");
        }
    }
}
