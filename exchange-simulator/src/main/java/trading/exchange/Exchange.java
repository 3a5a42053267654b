package trading.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.SessionSettings;
import quickfix.ThreadedSocketAcceptor;
import quickfix.mina.acceptor.DynamicAcceptorSessionProvider;
import trading.exchange.fix.ExchangeFixApplication;
import trading.fix.FixSessions;
import trading.support.KafkaConnection;
import trading.support.RegistryConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * exchange-simulator: a FIX 4.4 acceptor in front of an {@link ExchangeBook} that is marked to
 * the pipeline's {@code prices} ({@link MarketPrices}) and journaled to disk ({@link OrderJournal}).
 */
@ApplicationScoped
public class Exchange {

    private static final Logger LOG = Logger.getLogger(Exchange.class);

    @jakarta.inject.Inject
    io.opentelemetry.api.trace.Tracer tracer;
    @ConfigProperty(name = "exchange.fix.port", defaultValue = "9876")
    int fixPort;
    /** The address the FIX port listens on: every interface in a container, loopback in the local stack. */
    @ConfigProperty(name = "exchange.fix.host", defaultValue = "0.0.0.0")
    String fixHost;
    @ConfigProperty(name = "exchange.fix.comp-id", defaultValue = "EXCHANGE")
    String compId;
    @ConfigProperty(name = "exchange.fix.heartbeat", defaultValue = "PT5S")
    Duration heartbeat;
    @ConfigProperty(name = "exchange.data-dir", defaultValue = "target/exchange")
    Path dataDir;
    @ConfigProperty(name = "exchange.fill-parts", defaultValue = "1")
    int fillParts;
    @ConfigProperty(name = "exchange.reject-rate", defaultValue = "0")
    double rejectRate;
    /** The share of reports sent after a bad copy of themselves: a hostile exchange, for tests (ExchangeFixApplication). */
    @ConfigProperty(name = "exchange.hostile-rate", defaultValue = "0")
    double hostileRate;
    @ConfigProperty(name = "exchange.fill-delay", defaultValue = "PT0S")
    Duration fillDelay;
    @ConfigProperty(name = "exchange.price-history", defaultValue = "5000")
    long priceHistory;
    @Inject
    KafkaConnection kafka;
    @Inject
    RegistryConnection registry;

    private final ObjectMapper json;
    private ExchangeBook book;
    private OrderJournal journal;
    private ExchangeFixApplication application;
    private ThreadedSocketAcceptor acceptor;
    private MarketPrices prices;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "exchange-fills");
        thread.setDaemon(true);
        return thread;
    });

    public Exchange(ObjectMapper json) {
        this.json = json;
    }

    /** The FIX acceptor opens only once the market prices are loaded (see {@link MarketPrices#awaitCaughtUp}). */
    void start(@Observes StartupEvent event) throws IOException, ConfigError {
        ExchangeRules rules = new ExchangeRules(fillParts, rejectRate, fillDelay);
        Path journalFile = dataDir.resolve("orders.jsonl");
        var recovered = OrderJournal.recover(journalFile, json);
        journal = OrderJournal.open(journalFile, json);
        book = new ExchangeBook(rules, recovered, journal::append);
        application = new ExchangeFixApplication(book, timer, tracer, hostileRate);

        prices = new MarketPrices(kafka.clientProperties(), registry.registryUrl(), priceHistory, application, book);
        prices.start();
        try {
            if (!prices.awaitCaughtUp(Duration.ofSeconds(60))) {
                LOG.warnf("market prices still loading after 60 s; accepting sessions anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }

        SessionSettings settings = FixSessions.acceptor(compId, fixHost, fixPort, dataDir.resolve("fix"), heartbeat);
        acceptor = new ThreadedSocketAcceptor(application, FixSessions.storeFactory(settings),
                settings, FixSessions.logFactory(settings), new DefaultMessageFactory());
        acceptor.setSessionProvider(new InetSocketAddress(fixHost, fixPort), new DynamicAcceptorSessionProvider(settings,
                FixSessions.acceptorTemplate(compId), application, FixSessions.storeFactory(settings),
                FixSessions.logFactory(settings), new DefaultMessageFactory()));
        acceptor.start();
        if (!fillDelay.isZero()) {
            book.working().forEach(order -> application.scheduleFill(order.clOrdId()));
        }
        LOG.infof("exchange accepting FIX 4.4 as %s on port %d (%d orders recovered, %d working; fills in %d part(s)%s%s)",
                compId, fixPort, recovered.size(), book.working().size(), fillParts,
                rejectRate > 0 ? ", rejecting " + rejectRate * 100 + "%" : "",
                fillDelay.isZero() ? "" : ", after " + fillDelay);
    }

    void stop(@Observes ShutdownEvent event) {
        if (acceptor != null) {
            acceptor.stop();
        }
        if (prices != null) {
            prices.close();
        }
        timer.shutdownNow();
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public ExchangeBook book() {
        return book;
    }

    /** Bad reports sent on purpose ({@code exchange.hostile-rate}). */
    public long hostileReports() {
        return application.hostileSent();
    }

    public Set<String> loggedOnSessions() {
        return application.loggedOnSessions();
    }

    public long pricesSeen() {
        return prices.seen();
    }
}
