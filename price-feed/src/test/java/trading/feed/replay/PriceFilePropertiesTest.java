package trading.feed.replay;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import trading.schema.Decimals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a price file holds after its header, every non-blank line becomes exactly one row or
 * one skipped line with a reason, and every row reaches the wire exactly: a line can never stop a
 * replay, nor make the feed fail at send time.
 */
class PriceFilePropertiesTest {

    private static Path dir;

    @BeforeContainer
    static void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("price-file-properties");
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Property(tries = 300)
    void everyLineIsARowOrASkippedLineWithAReason(@ForAll("lines") List<String> lines) throws IOException {
        Path file = Files.createTempFile(dir, "prices", ".csv");
        Files.writeString(file, "timestamp,ticker,price,size\n" + String.join("\n", lines) + "\n");
        List<PriceFile.Row> rows = new ArrayList<>();
        List<PriceFile.BadLine> bad = new ArrayList<>();

        PriceFile.Counts counts = PriceFile.open(file).read(rows::add, bad::add);

        long expected = lines.stream().flatMap(l -> l.lines()).filter(l -> !l.isBlank()).count();
        assertEquals(expected, counts.rows() + counts.skipped(), "each non-blank line once");
        for (PriceFile.BadLine line : bad) {
            assertTrue(!line.reason().isBlank() && !line.reason().contains("\n") && line.reason().length() < 200, line.reason());
        }
        for (PriceFile.Row row : rows) {
            assertDoesNotThrow(() -> Decimals.toWire(row.price()), row.toString());
            assertDoesNotThrow(() -> Decimals.toWire(row.size()), row.toString());
            assertTrue(row.price().signum() > 0 && row.size().signum() >= 0, row.toString());
        }
    }

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> timestamp = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 4_102_444_800_000L).map(millis -> Long.toString(millis)),
                Arbitraries.of("2024-03-01T14:30:00Z", "2024-03-01T14:30:00+01:00", "yesterday", "", "-5", "99999999999999999999"));
        Arbitrary<String> ticker = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().ofMaxLength(40));
        Arbitrary<String> amount = Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(new java.math.BigDecimal("-1000"), new java.math.BigDecimal("100000")).ofScale(4)
                        .map(java.math.BigDecimal::toPlainString),
                Arbitraries.integers().between(-1_000_000_000, 1_000_000_000).map(exponent -> "1e" + exponent),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20).map(d -> "0." + d),
                Arbitraries.of("NaN", "Infinity", "", "1,5", "0", "-0.0", "1e", "+3"));
        Arbitrary<String> wellFormed = net.jqwik.api.Combinators.combine(timestamp, ticker, amount, amount)
                .as((t, s, p, q) -> t + "," + s + "," + p + "," + q);
        Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(80);
        return Arbitraries.oneOf(wellFormed, wellFormed, anything).list().ofMaxSize(30);
    }
}
