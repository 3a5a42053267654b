package trading.launcher.chaos;

import trading.launcher.stack.Stack;
import trading.launcher.stack.StackConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import trading.launcher.stack.StackConfig.Service;
import trading.schema.Topics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long a strategy takes to recover from {@code kill -9} of one of its instances, as its users
 * see it: until a survivor answers {@code GET /state} again (whole, the dead instance's tickers
 * from a standby copy when there is one) and until the group commits progress on every partition
 * of {@code prices} again (the dead instance's partitions taken over and processed).
 */
public final class Failover {

    /** Seconds from the kill; -1 when it did not happen within the bound. */
    record Times(String victim, double answeredSeconds, double resumedSeconds) {
        @Override
        public String toString() {
            return String.format("%s: every ticker answered after %s, processing resumed after %s", victim,
                    seconds(answeredSeconds), seconds(resumedSeconds));
        }

        private static String seconds(double value) {
            return value < 0 ? "(not within the bound)" : String.format("%.1f s", value);
        }
    }

    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Failover() {
    }

    /** Kills instance {@code victim} of {@code strategy} and times the take-over; the caller restarts it. */
    static Times measure(StackConfig config, Stack stack, Service strategy, int victim) {
        String group = strategy.strategy().applicationId();
        String survivorState = config.serviceUrl(strategy, victim == 0 ? 1 : 0) + "/state";
        try (Admin admin = Admin.create(config.kafkaClient())) {
            Map<TopicPartition, Long> before = committed(admin, group);
            long killedAt = System.nanoTime();
            stack.kill(Stack.instanceName(strategy, victim));
            double answered = -1;
            double resumed = -1;
            long deadline = killedAt + BOUND.toNanos();
            while ((answered < 0 || resumed < 0) && System.nanoTime() < deadline) {
                if (answered < 0 && status(survivorState) == 200) {
                    answered = (System.nanoTime() - killedAt) / 1e9;
                }
                if (resumed < 0 && advancedEverywhere(admin, group, before)) {
                    resumed = (System.nanoTime() - killedAt) / 1e9;
                }
                try {
                    Thread.sleep(100); // the probing interval: the times are this coarse
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return new Times(Stack.instanceName(strategy, victim), answered, resumed);
        }
    }

    /**
     * Whether the group has committed past {@code before} on every partition of {@code prices}
     * that holds records beyond it (a partition nobody published to cannot show progress).
     */
    private static boolean advancedEverywhere(Admin admin, String group, Map<TopicPartition, Long> before) {
        Map<TopicPartition, Long> now = committed(admin, group);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        before.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        try {
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            for (var entry : before.entrySet()) {
                boolean hasNewRecords = ends.get(entry.getKey()).offset() > entry.getValue() + 1;
                if (hasNewRecords && now.getOrDefault(entry.getKey(), -1L) <= entry.getValue()) {
                    return false;
                }
            }
            return !before.isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try {
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).entrySet()) {
                if (entry.getKey().topic().equals(Topics.PRICES) && entry.getValue() != null) {
                    offsets.put(entry.getKey(), entry.getValue().offset());
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            // no answer this time: counts as no progress
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return offsets;
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
