package trading.launcher.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How chaos reads the clock a restarted instance runs on: from the times its own log lines carry. */
class ClockFaultsTest {

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @TempDir
    Path dir;

    @Test
    void theLastNewLineSaysHowFarTheProcessClockIsOff() throws Exception {
        Path log = dir.resolve("order-execution-0.log");
        String before = LocalTime.now().format(LOG_TIME) + " INFO  [io.quarkus] the previous run, on the true clock\n";
        Files.writeString(log, before);
        Files.writeString(log, " __  ____  __\n" // a banner line carries no time
                + LocalTime.now().plusMinutes(59).format(LOG_TIME) + " INFO  [io.quarkus] starting\n"
                + LocalTime.now().plusMinutes(60).format(LOG_TIME) + " INFO  [io.quarkus] started in 9.8s\n",
                StandardOpenOption.APPEND);

        assertEquals(OptionalLong.of(60), ClockFaults.clockSeen(log, before.length()));
        assertEquals(OptionalLong.of(60), ClockFaults.clockSeen(log, 0), "the last line counts");
    }

    @Test
    void anHourBehindIsMinusSixtyMinutes() throws Exception {
        Path log = dir.resolve("strategy-abc-0.log");
        Files.writeString(log, LocalTime.now().minusMinutes(60).format(LOG_TIME) + " INFO  [io.quarkus] started\n");
        assertEquals(OptionalLong.of(-60), ClockFaults.clockSeen(log, 0));
    }

    @Test
    void aLogWithoutTimesSaysNothing() throws Exception {
        Path log = dir.resolve("strategy-qrs-0.log");
        Files.writeString(log, "strategy-qrs: ready\n");
        assertEquals(OptionalLong.empty(), ClockFaults.clockSeen(log, 0));
    }
}
