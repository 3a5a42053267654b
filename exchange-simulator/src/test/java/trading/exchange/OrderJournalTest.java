package trading.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trading.exchange.ExchangeBook.Submission;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderJournalTest {

    /** As Quarkus configures the exchange's: unknown properties (derived ones such as "done") are ignored. */
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @TempDir
    Path dir;

    /** A journal of the orders {@code ids}, written as the exchange writes it. */
    private Path journalOf(String... ids) throws IOException {
        Path file = dir.resolve("orders.jsonl");
        try (OrderJournal journal = OrderJournal.open(file, JSON)) {
            ExchangeBook book = new ExchangeBook(ExchangeRules.immediateFullFills(), List.of(), journal::append);
            book.price("AAPL", BigDecimal.TEN);
            for (String id : ids) {
                book.submit(new Submission(id, "FIX.4.4:EXCHANGE->PIPELINE", "AAPL", true, BigDecimal.ONE, null), 0);
            }
        }
        return file;
    }

    private static List<String> ids(Iterable<SimulatedOrder> orders) {
        List<String> ids = new ArrayList<>();
        orders.forEach(order -> ids.add(order.clOrdId()));
        return ids;
    }

    @Test
    void aTornLastLineIsCutOffSoThatTheNextStartCanReadTheJournal() throws IOException {
        Path file = journalOf("o1", "o2");
        String whole = Files.readString(file);
        String torn = whole.lines().findFirst().orElseThrow().substring(0, 25);
        Files.writeString(file, torn, StandardOpenOption.APPEND); // the disk filled up part way through a line

        assertEquals(List.of("o1", "o2"), ids(OrderJournal.recover(file, JSON)));
        assertEquals(whole, Files.readString(file), "the torn part is gone");

        try (OrderJournal journal = OrderJournal.open(file, JSON)) { // the exchange goes on
            ExchangeBook book = new ExchangeBook(ExchangeRules.immediateFullFills(), OrderJournal.recover(file, JSON), journal::append);
            book.price("AAPL", BigDecimal.TEN);
            book.submit(new Submission("o3", "FIX.4.4:EXCHANGE->PIPELINE", "AAPL", true, BigDecimal.ONE, null), 0);
        }
        assertEquals(List.of("o1", "o2", "o3"), ids(OrderJournal.recover(file, JSON)), "and restarts knowing every order");
    }

    @Test
    void aLastLineOfZerosFromAFullDiskIsTornToo() throws IOException {
        Path file = journalOf("o1");
        String whole = Files.readString(file);
        Files.write(file, new byte[]{0, 0, 0, 0, '\n'}, StandardOpenOption.APPEND);
        assertEquals(List.of("o1"), ids(OrderJournal.recover(file, JSON)));
        assertEquals(whole, Files.readString(file));
    }

    @Test
    void damageBeforeTheLastLineStopsTheStartWithTheLineNumber() throws IOException {
        Path file = journalOf("o1", "o2");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(1, "{not an order");
        Files.write(file, lines, StandardCharsets.UTF_8);
        IOException damaged = assertThrows(IOException.class, () -> OrderJournal.recover(file, JSON));
        assertTrue(damaged.getMessage().contains("line 2 is not an order"), damaged.getMessage());
    }

}
