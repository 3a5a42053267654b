package trading.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import trading.launcher.stack.ManagedProcess;
import trading.launcher.stack.Stack;
import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** What every fault of {@code ./pipeline chaos} ends with: holding the fault, then waiting until the stack is ready. */
final class Recovery {

    static final Duration READY_AGAIN = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Recovery() {
    }

    /** Prints a fault as it begins; one that would meet idle services (the feed has finished) stops the run. */
    static void begin(String fault, BooleanSupplier feedRunning, Consumer<String> step) {
        if (!feedRunning.getAsBoolean()) {
            throw new StackException("chaos: the feed has finished before \"" + fault + "\"; it would meet idle services");
        }
        step.accept("fault: " + fault);
    }

    /** Seconds until every service instance answers ready; says which are not and why, every 15 s. */
    static double awaitEveryServiceReady(Stack stack, Consumer<String> step) {
        long start = System.nanoTime();
        // on a slow machine (its services took long to start) restarted instances get longer too
        Duration bound = stack.readyBound().compareTo(READY_AGAIN) > 0 ? stack.readyBound() : READY_AGAIN;
        long deadline = start + bound.toNanos();
        long nextReport = start + Duration.ofSeconds(15).toNanos();
        while (true) {
            Map<String, String> notReady = new LinkedHashMap<>();
            for (String name : stack.serviceNames()) {
                ManagedProcess process = stack.service(name);
                if (!process.isAlive()) {
                    throw new StackException(name + " exited after the fault. Last lines of " + process.log() + ":\n" + process.tail(30));
                }
                stack.notReady(name).ifPresent(reason -> notReady.put(name, reason));
            }
            double seconds = seconds(start);
            if (notReady.isEmpty()) {
                step.accept(String.format("every service ready again %.1f s after the fault ended", seconds));
                return seconds;
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("chaos: not ready " + bound.toSeconds() + " s after the fault: " + notReady);
            }
            if (System.nanoTime() > nextReport) {
                step.accept("not ready yet: " + notReady);
                nextReport = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            }
            hold(Duration.ofMillis(500)); // polling readiness, bounded by the deadline
        }
    }

    /** Seconds since {@code since} (a {@link System#nanoTime()}), to a tenth. */
    static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
    }

    /** The fault's own duration (a node down, a process frozen, a link cut), or a polling interval: time is what is tested. */
    static void hold(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    /** The prices a strategy has applied, summed over its tickers ({@code GET /state}); -1 when it does not answer whole. */
    static long pricesApplied(StackConfig config, StackConfig.Service strategy) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(config.serviceUrl(strategy, 0) + "/state"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return -1;
            }
            long sum = 0;
            for (JsonNode state : JSON.readTree(response.body())) {
                sum += state.path("updates").asLong();
            }
            return sum;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    /** Where a log ends now: what a fault then looks for is written after it. */
    static long logSize(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return 0; // not written yet
        }
    }
}
