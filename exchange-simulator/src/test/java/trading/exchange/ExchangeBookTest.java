package trading.exchange;

import org.junit.jupiter.api.Test;
import trading.exchange.ExchangeBook.Report;
import trading.exchange.ExchangeBook.ReportType;
import trading.exchange.ExchangeBook.Submission;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeBookTest {

    private final List<SimulatedOrder> journal = new ArrayList<>();

    private ExchangeBook book(ExchangeRules rules) {
        return new ExchangeBook(rules, List.of(), journal::add);
    }

    private static Submission market(String id, boolean buy, String quantity) {
        return new Submission(id, "FIX.4.4:EXCHANGE->PIPELINE", "AAPL", buy, new BigDecimal(quantity), null);
    }

    private static List<ReportType> types(List<Report> reports) {
        return reports.stream().map(Report::type).toList();
    }

    @Test
    void aMarketOrderIsAcceptedAndFilledAtTheLastPrice() {
        ExchangeBook book = book(ExchangeRules.immediateFullFills());
        book.price("AAPL", new BigDecimal("187.25"));
        List<Report> reports = book.submit(market("o1", true, "100"), 0);
        assertEquals(List.of(ReportType.NEW, ReportType.FILL), types(reports));
        SimulatedOrder filled = reports.get(1).order();
        assertEquals(SimulatedOrder.Status.FILLED, filled.status());
        assertEquals(0, filled.averagePrice().compareTo(new BigDecimal("187.25")));
        assertEquals(filled, journal.get(journal.size() - 1), "journaled before it is reported");
    }

    @Test
    void aSecondOrderWithTheSameClOrdIdCreatesNothingAndIsCounted() {
        ExchangeBook book = book(ExchangeRules.immediateFullFills());
        book.price("AAPL", BigDecimal.TEN);
        book.submit(market("o1", true, "100"), 0);
        List<Report> again = book.submit(market("o1", true, "100"), 1);
        assertEquals(List.of(ReportType.STATUS), types(again));
        assertEquals(1, book.stats().orders());
        assertEquals(1, book.stats().duplicates());
        assertEquals(1, book.stats().fills());
    }

    @Test
    void aSessionLevelResendOfAnOrderIsCountedApartFromADuplicate() {
        ExchangeBook book = book(ExchangeRules.immediateFullFills());
        book.price("AAPL", BigDecimal.TEN);
        book.submit(market("o1", true, "100"), 0);
        var resent = new Submission("o1", "s", "AAPL", true, new BigDecimal("100"), null, true);
        assertEquals(List.of(ReportType.STATUS), types(book.submit(resent, 1)));
        assertEquals(0, book.stats().duplicates());
        assertEquals(1, book.stats().resends());
        assertEquals(1, book.stats().orders());
    }

    @Test
    void fillsComeInTheConfiguredPartsAndAddUpToTheOrder() {
        ExchangeBook book = book(new ExchangeRules(3, 0, Duration.ZERO));
        book.price("AAPL", BigDecimal.TEN);
        List<Report> reports = book.submit(market("o1", false, "100"), 0);
        assertEquals(List.of(ReportType.NEW, ReportType.FILL, ReportType.FILL, ReportType.FILL), types(reports));
        assertEquals(SimulatedOrder.Status.PARTIALLY_FILLED, reports.get(1).order().status());
        BigDecimal sum = reports.stream().filter(r -> r.type() == ReportType.FILL).map(Report::lastQuantity)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, sum.compareTo(new BigDecimal("100")));
        assertEquals(SimulatedOrder.Status.FILLED, reports.get(3).order().status());
    }

    @Test
    void aLimitOrderWaitsUntilThePriceAllows() {
        ExchangeBook book = book(ExchangeRules.immediateFullFills());
        book.price("AAPL", new BigDecimal("101"));
        var limit = new Submission("l1", "s", "AAPL", true, BigDecimal.ONE, new BigDecimal("100"));
        assertEquals(List.of(ReportType.NEW), types(book.submit(limit, 0)));
        assertTrue(book.price("AAPL", new BigDecimal("100.01")).isEmpty());
        List<Report> fill = book.price("AAPL", new BigDecimal("99.5"));
        assertEquals(List.of(ReportType.FILL), types(fill));
        assertEquals(0, fill.get(0).lastPrice().compareTo(new BigDecimal("99.5")));
    }

    @Test
    void aMarketOrderWithoutAPriceIsRejected() {
        List<Report> reports = book(ExchangeRules.immediateFullFills()).submit(market("o1", true, "1"), 0);
        assertEquals(List.of(ReportType.REJECTED), types(reports));
        assertEquals("no market price for AAPL yet", reports.get(0).order().reason());
    }

    @Test
    void theRejectRateRejectsTheSameOrdersEveryTime() {
        ExchangeRules rules = new ExchangeRules(1, 0.3, Duration.ZERO);
        long rejected = 0;
        for (int i = 0; i < 1000; i++) {
            ExchangeBook first = book(rules);
            first.price("AAPL", BigDecimal.ONE);
            ExchangeBook second = book(rules);
            second.price("AAPL", BigDecimal.ONE);
            ReportType a = first.submit(market("order-" + i, true, "1"), 0).get(0).type();
            assertEquals(a, second.submit(market("order-" + i, true, "1"), 0).get(0).type());
            rejected += a == ReportType.REJECTED ? 1 : 0;
        }
        assertTrue(rejected > 230 && rejected < 370, "about 30% rejected, was " + rejected);
    }

    @Test
    void aRestartedBookKnowsItsOrdersFromTheJournalAndOwesTheFillsOfWorkingOnes() {
        ExchangeRules delayed = new ExchangeRules(1, 0, Duration.ofSeconds(5));
        ExchangeBook book = book(delayed);
        book.price("AAPL", BigDecimal.TEN);
        book.submit(market("o1", true, "100"), 0);
        ExchangeBook restarted = new ExchangeBook(delayed, List.copyOf(journal), o -> { });
        assertEquals(ReportType.STATUS, restarted.status("o1").type());
        assertEquals(ReportType.UNKNOWN, restarted.status("o2").type());
        assertEquals(List.of("o1"), restarted.working().stream().map(SimulatedOrder::clOrdId).toList());
        restarted.price("AAPL", new BigDecimal("11"));
        assertEquals(List.of(ReportType.FILL), types(restarted.fillIfPossible("o1")));
    }
}
