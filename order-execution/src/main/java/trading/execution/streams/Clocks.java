package trading.execution.streams;

import java.time.Clock;
import java.time.Instant;

final class Clocks {

    private Clocks() {
    }

    static long micros(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
