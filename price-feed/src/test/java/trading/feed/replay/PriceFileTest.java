package trading.feed.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriceFileTest {

    @TempDir
    Path dir;

    private record Read(List<PriceFile.Row> rows, List<PriceFile.BadLine> bad, PriceFile.Counts counts) {
    }

    private Read read(String content) throws IOException {
        Path file = dir.resolve("prices.csv");
        Files.writeString(file, content);
        List<PriceFile.Row> rows = new ArrayList<>();
        List<PriceFile.BadLine> bad = new ArrayList<>();
        PriceFile.Counts counts = PriceFile.open(file).read(rows::add, bad::add);
        return new Read(rows, bad, counts);
    }

    @Test
    void readsBothTimestampFormsAndKeepsDecimalsExactly() throws IOException {
        Read read = read("""
                timestamp,ticker,price,size
                1700000000123,AAPL,187.12345678,100
                2023-11-14T22:13:20.500Z,MSFT,370.1,0.5
                2023-11-14T23:13:20+01:00,AAPL,187.10,25
                """);
        assertEquals(3, read.rows().size());
        assertEquals(List.of(), read.bad());
        PriceFile.Row first = read.rows().get(0);
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), first.timestamp());
        assertEquals("187.12345678", first.price().toPlainString());
        assertEquals(Instant.parse("2023-11-14T22:13:20.500Z"), read.rows().get(1).timestamp());
        assertEquals(Instant.parse("2023-11-14T22:13:20Z"), read.rows().get(2).timestamp());
        assertEquals("187.10", read.rows().get(2).price().toPlainString(), "digits as written");
        assertEquals(new BigDecimal("0.5"), read.rows().get(1).size());
    }

    @Test
    void numbersEachTickersPricesInFileOrder() throws IOException {
        Read read = read("""
                timestamp,ticker,price,size
                1,AAPL,10,1
                2,MSFT,20,1
                3,AAPL,11,1
                4,AAPL,12,1
                5,MSFT,21,1
                """);
        assertEquals(List.of(1L, 1L, 2L, 3L, 2L), read.rows().stream().map(PriceFile.Row::sequence).toList());
        assertEquals(List.of("AAPL", "MSFT", "AAPL", "AAPL", "MSFT"), read.rows().stream().map(PriceFile.Row::ticker).toList());
    }

    @Test
    void reportsBadLinesWithTheirNumbersAndGoesOn() throws IOException {
        Read read = read("""
                timestamp,ticker,price,size
                1,AAPL,10,1
                yesterday,AAPL,10,1
                3,AAPL,ten,1
                4,AAPL,-1,1
                5,AAPL,10
                6,AAPL,1.123456789,1

                8,AAPL,12,1
                """);
        assertEquals(2, read.rows().size());
        assertEquals(List.of(1L, 2L), read.rows().stream().map(PriceFile.Row::sequence).toList(), "skipped lines take no sequence");
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), read.bad().stream().map(PriceFile.BadLine::lineNumber).toList());
        assertTrue(read.bad().get(0).reason().contains("timestamp 'yesterday'"), read.bad().get(0).reason());
        assertTrue(read.bad().get(1).reason().contains("not a decimal"), read.bad().get(1).reason());
        assertTrue(read.bad().get(2).reason().contains("positive"), read.bad().get(2).reason());
        assertTrue(read.bad().get(3).reason().contains("expected 4 fields"), read.bad().get(3).reason());
        assertTrue(read.bad().get(4).reason().contains("decimal places"), read.bad().get(4).reason());
        assertEquals(new PriceFile.Counts(2, 5), read.counts());
        assertEquals(9, read.rows().get(1).lineNumber(), "line numbers count the blank line too");
    }

    @Test
    void aFileWithOnlyTheHeaderHasNoRows() throws IOException {
        Read read = read("timestamp,ticker,price,size\n");
        assertEquals(new PriceFile.Counts(0, 0), read.counts());
    }

    @Test
    void anEmptyFileOrAMissingHeaderIsAClearError() throws IOException {
        ReplayException empty = assertThrows(ReplayException.class, () -> read(""));
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        ReplayException noHeader = assertThrows(ReplayException.class, () -> read("1,AAPL,10,1\n"));
        assertTrue(noHeader.getMessage().contains("header"), noHeader.getMessage());
    }

    @Test
    void aMissingFileIsAClearError() {
        ReplayException e = assertThrows(ReplayException.class, () -> PriceFile.open(dir.resolve("nope.csv")));
        assertEquals("no such file: " + dir.resolve("nope.csv"), e.getMessage());
    }

    @Test
    void theSourceNamesTheFileAndItsContent() throws IOException {
        Path file = dir.resolve("history-2024.csv");
        Files.writeString(file, "timestamp,ticker,price,size\n1,AAPL,10,1\n");
        String first = PriceFile.open(file).source();
        assertTrue(first.matches("replay:history-2024\\.csv@[0-9a-f]{12}"), first);
        assertEquals(first, PriceFile.open(file).source(), "the same file is the same source: replayed twice, applied once");

        Files.writeString(file, "timestamp,ticker,price,size\n1,AAPL,11,1\n");
        assertNotEquals(first, PriceFile.open(file).source(), "another file of the same name is not already played");
    }

    @Test
    void anAmountTooLargeForTheWireIsASkippedLineNotAFailedReplay() throws IOException {
        List<String> bad = new ArrayList<>();
        List<PriceFile.Row> rows = new ArrayList<>();
        Path file = dir.resolve("large.csv");
        Files.writeString(file, "timestamp,ticker,price,size\n1,AAPL,10,1\n2,AAPL,1e20,1\n3,AAPL,1e999999999,1\n"
                + "4,AAPL,10,99999999999999999\n5,AAPL,9999999999999999.99999999,1\n6,AAPL,11,1\n");
        PriceFile.Counts counts = PriceFile.open(file).read(rows::add, line -> bad.add(line.lineNumber() + ": " + line.reason()));
        assertEquals(3, counts.rows());
        assertEquals(List.of("2", "6", "7"), rows.stream().map(r -> Long.toString(r.lineNumber())).toList());
        assertEquals(3, bad.size(), bad.toString());
        assertTrue(bad.get(0).startsWith("3: price '1e20' or size '1' is too large: the wire keeps 16 digits"), bad.get(0));
        assertTrue(bad.get(1).startsWith("4: price '1e999999999'"), bad.get(1));
        assertTrue(bad.get(2).startsWith("5: "), bad.get(2));
    }
}
