package trading.launcher.chaos;

import trading.launcher.stack.Stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clock bumps, as Jepsen injects them: a service instance started with its wall clock an hour ahead,
 * then an hour behind the machine's (and so behind every other process), each while prices flow,
 * then with the true clock again. Order-execution decides when a completed order may leave its
 * dedupe store, and strategies stamp their decisions: neither may lose or double an order because
 * its host's clock is wrong. The verification that follows is the caller's; this says how each
 * skewed instance got on meanwhile.
 */
final class ClockFaults {

    static final Duration SKEW = Duration.ofHours(1);
    /** How long an instance runs on a wrong clock, while prices flow. */
    static final Duration HELD = Duration.ofSeconds(30);
    /** A Quarkus log line's time of day, as the process's own clock read it. */
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ", Pattern.MULTILINE);

    /** An instance to set off, and what counts as its progress (fills, prices applied). */
    record Victim(String name, String progress, LongSupplier done) {
    }

    private final Stack stack;
    private final BooleanSupplier feedRunning;
    private final Consumer<String> step;

    ClockFaults(Stack stack, BooleanSupplier feedRunning, Consumer<String> step) {
        this.stack = stack;
        this.feedRunning = feedRunning;
        this.step = step;
    }

    List<DependencyFaults.Outcome> run(List<Victim> victims) {
        List<DependencyFaults.Outcome> outcomes = new ArrayList<>();
        for (Victim victim : victims) {
            outcomes.add(bumped(victim));
        }
        return outcomes;
    }

    private DependencyFaults.Outcome bumped(Victim victim) {
        String fault = "restart " + victim.name() + " with its clock " + SKEW.toMinutes() + " min ahead, then "
                + SKEW.toMinutes() + " min behind, " + HELD.toSeconds() + " s each, then with the machine's";
        Recovery.begin(fault, feedRunning, step);
        Map<String, String> said = new LinkedHashMap<>();
        for (Duration offset : List.of(SKEW, SKEW.negated())) {
            String label = (offset.isNegative() ? "behind" : "ahead");
            long logFrom = Recovery.logSize(stack.service(victim.name()).log());
            long start = System.nanoTime();
            restartWith(victim.name(), offset);
            double ready = Recovery.seconds(start);
            String clock = clockSeen(stack.service(victim.name()).log(), logFrom)
                    .stream().mapToObj(minutes -> String.format("its log's clock %+d min", minutes)).findFirst()
                    .orElse("no time in its log");
            long before = whole(victim.done());
            Recovery.hold(HELD);
            long after = whole(victim.done());
            said.put(victim.name() + " " + label, String.format("ready %.1f s after its restart, %s, %s %s in %d s", ready,
                    clock, before < 0 || after < 0 ? "?" : Long.toString(after - before), victim.progress(), HELD.toSeconds()));
            step.accept(victim.name() + " " + label + ": " + said.get(victim.name() + " " + label));
        }
        restartWith(victim.name(), Duration.ZERO);
        step.accept(victim.name() + " runs on the machine's clock again");
        return new DependencyFaults.Outcome(fault, said, Recovery.awaitEveryServiceReady(stack, step));
    }

    /**
     * The progress once it can be read whole (-1 if not within a minute): a strategy's state answers
     * 503 while the instance just restarted restores its stores.
     */
    private static long whole(LongSupplier done) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        long value = done.getAsLong();
        while (value < 0 && System.nanoTime() < deadline) {
            Recovery.hold(Duration.ofMillis(500)); // polling the answer, bounded by the deadline
            value = done.getAsLong();
        }
        return value;
    }

    private void restartWith(String name, Duration offset) {
        stack.skewClock(name, offset);
        stack.kill(name);
        stack.restart(name);
    }

    /**
     * Minutes between the time of day on the last line written to {@code log} after {@code from},
     * as the process's clock read it, and the machine's now (the line is a few seconds old at most:
     * the instance has just answered ready). Around midnight the difference wraps.
     */
    static OptionalLong clockSeen(Path log, long from) {
        String written;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            byte[] tail = new byte[(int) Math.min(Math.max(0, file.length() - from), 16 << 20)];
            file.seek(from);
            file.readFully(tail);
            written = new String(tail, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        LocalTime now = LocalTime.now();
        String last = null;
        Matcher matcher = LOG_TIME.matcher(written);
        while (matcher.find()) {
            last = matcher.group(1);
        }
        if (last == null) {
            return OptionalLong.empty();
        }
        try {
            long minutes = Math.round(ChronoUnit.SECONDS.between(now, LocalTime.parse(last)) / 60.0);
            return OptionalLong.of(Math.floorMod(minutes + 720, 1440) - 720);
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

}
