package trading.execution.streams;

import java.time.Clock;
import java.time.Instant;

final class Clocks {

    private Clocks() {
    }

    static long micros(Clock clock) {
        return micros(clock.instant());
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
