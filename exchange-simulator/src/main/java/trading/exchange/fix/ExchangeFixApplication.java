package trading.exchange.fix;

import org.jboss.logging.Logger;
import quickfix.Application;
import quickfix.FieldNotFound;
import quickfix.IncorrectTagValue;
import quickfix.Message;
import quickfix.MessageCracker;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.UnsupportedMessageType;
import quickfix.field.AvgPx;
import quickfix.field.ClOrdID;
import quickfix.field.CumQty;
import quickfix.field.ExecID;
import quickfix.field.ExecType;
import quickfix.field.LastPx;
import quickfix.field.LastQty;
import quickfix.field.LeavesQty;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;
import quickfix.field.OrdType;
import quickfix.field.OrderID;
import quickfix.field.OrderQty;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.field.TransactTime;
import quickfix.fix44.ExecutionReport;
import quickfix.fix44.NewOrderSingle;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import trading.schema.kafka.TraceAttributes;
import trading.schema.kafka.TraceHeaders;
import quickfix.fix44.OrderStatusRequest;
import trading.exchange.ExchangeBook;
import trading.exchange.ExchangeBook.Report;
import trading.exchange.ExchangeBook.ReportType;
import trading.exchange.SimulatedOrder;
import trading.fix.FixValues;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exchange's FIX 4.4 side: NewOrderSingle and OrderStatusRequest in, ExecutionReports out.
 * Reports about an order go to the session it came from; while that session is down they are
 * stored and delivered when the client asks for the gap after logging on again.
 */
public final class ExchangeFixApplication extends MessageCracker implements Application {

    private static final Logger LOG = Logger.getLogger(ExchangeFixApplication.class);

    private final ExchangeBook book;
    private final ScheduledExecutorService timer;
    private final Set<String> loggedOn = ConcurrentHashMap.newKeySet();
    private final AtomicLong statusExecIds = new AtomicLong();

    private final Tracer tracer;

    public ExchangeFixApplication(ExchangeBook book, ScheduledExecutorService timer, Tracer tracer) {
        this(book, timer, tracer, 0);
    }

    /**
     * @param hostileRate the share of reports sent after a bad copy of themselves, in turn: a
     *                    CumQty with more decimals than the wire keeps, an AvgPx too large for it,
     *                    one without OrdStatus, and a stale copy from before any fill (out of
     *                    order). For testing a client against a broken exchange; 0 in normal runs.
     */
    public ExchangeFixApplication(ExchangeBook book, ScheduledExecutorService timer, Tracer tracer, double hostileRate) {
        this.book = book;
        this.timer = timer;
        this.tracer = tracer;
        this.hostileRate = hostileRate;
    }

    private final double hostileRate;
    private final java.util.Random hostility = new java.util.Random(7);
    private final AtomicLong hostileSent = new AtomicLong();

    /** Bad reports sent so far ({@code exchange.hostile-rate}). */
    public long hostileSent() {
        return hostileSent.get();
    }

    /** A bad copy of {@code message}, of the next kind in turn, or null when this one goes alone. */
    private synchronized ExecutionReport hostileCopy(ExecutionReport message) {
        if (hostileRate <= 0 || hostility.nextDouble() >= hostileRate) {
            return null;
        }
        ExecutionReport copy = (ExecutionReport) message.clone();
        switch ((int) (hostileSent.getAndIncrement() % 4)) {
            case 0 -> copy.setString(CumQty.FIELD, FixValues.optionalDecimal(message, CumQty.FIELD).orElse(BigDecimal.ZERO)
                    .add(new BigDecimal("0.000000001")).toPlainString());
            case 1 -> copy.setString(AvgPx.FIELD, "100000000000000000");
            case 2 -> copy.removeField(OrdStatus.FIELD);
            default -> {
                copy.set(new ExecType(ExecType.NEW));
                copy.set(new OrdStatus(OrdStatus.NEW));
                copy.setString(CumQty.FIELD, "0");
                copy.setString(AvgPx.FIELD, "0");
            }
        }
        copy.set(new ExecID("H" + hostileSent.get()));
        return copy;
    }


    public Set<String> loggedOnSessions() {
        return Set.copyOf(loggedOn);
    }

    @Override
    public void onCreate(SessionID sessionId) {
        LOG.infof("FIX session %s created", sessionId);
    }

    @Override
    public void onLogon(SessionID sessionId) {
        loggedOn.add(sessionId.toString());
        LOG.infof("FIX session %s logged on", sessionId);
    }

    @Override
    public void onLogout(SessionID sessionId) {
        loggedOn.remove(sessionId.toString());
        LOG.infof("FIX session %s logged out", sessionId);
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {
    }

    @Override
    public void fromAdmin(Message message, SessionID sessionId) {
    }

    @Override
    public void toApp(Message message, SessionID sessionId) {
    }

    @Override
    public void fromApp(Message message, SessionID sessionId) throws FieldNotFound, IncorrectTagValue,
            UnsupportedMessageType {
        crack(message, sessionId);
    }

    @Handler
    public void onNewOrder(NewOrderSingle order, SessionID sessionId) throws FieldNotFound {
        // the order's trace, when the gateway sent it along (a user-defined tag)
        String traceparent = order.isSetField(FixValues.TRACEPARENT_TAG) ? order.getString(FixValues.TRACEPARENT_TAG) : null;
        Span span = tracer.spanBuilder("exchange new order").setParent(TraceHeaders.fromTraceparent(traceparent))
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(TraceAttributes.CL_ORD_ID, order.getString(ClOrdID.FIELD))
                .setAttribute(TraceAttributes.TICKER, order.isSetField(Symbol.FIELD) ? order.getString(Symbol.FIELD) : null)
                .startSpan();
        try {
            book(order, sessionId, span);
        } finally {
            span.end();
        }
    }

    private void book(NewOrderSingle order, SessionID sessionId, Span span) throws FieldNotFound {
        String clOrdId = order.getString(ClOrdID.FIELD);
        char side = order.getChar(Side.FIELD);
        char type = order.getChar(OrdType.FIELD);
        BigDecimal limit = type == OrdType.LIMIT ? FixValues.optionalDecimal(order, Price.FIELD).orElse(BigDecimal.ZERO) : null;
        boolean resend = order.getHeader().isSetField(quickfix.field.PossDupFlag.FIELD)
                && order.getHeader().getBoolean(quickfix.field.PossDupFlag.FIELD);
        var submission = new ExchangeBook.Submission(clOrdId, sessionId.toString(), order.getString(Symbol.FIELD),
                side == Side.BUY, FixValues.decimal(order, OrderQty.FIELD), limit, resend);
        List<Report> reports;
        if ((side != Side.BUY && side != Side.SELL) || (type != OrdType.MARKET && type != OrdType.LIMIT)) {
            // nothing the exchange trades: answered, not booked
            reports = List.of(new Report(ReportType.REJECTED, null, clOrdId, null, null, null));
        } else {
            reports = book.submit(submission, System.currentTimeMillis());
        }
        span.setAttribute(TraceAttributes.STATUS, reports.isEmpty() ? "NONE" : reports.get(reports.size() - 1).type().name());
        for (Report report : reports) {
            send(report, report.type() == ReportType.STATUS ? sessionId : null, side);
        }
        if (reports.stream().anyMatch(r -> r.type() == ReportType.NEW) && !book.rules().fillDelay().isZero()) {
            scheduleFill(clOrdId);
        }
    }

    @Handler
    public void onStatusRequest(OrderStatusRequest request, SessionID sessionId) throws FieldNotFound {
        send(book.status(request.getString(ClOrdID.FIELD)), sessionId, request.getChar(Side.FIELD));
    }

    /** Fills an order after the configured delay; a limit order not yet reachable waits another round. */
    public void scheduleFill(String clOrdId) {
        timer.schedule(() -> {
            try {
                book.fillIfPossible(clOrdId).forEach(report -> send(report, null, '1'));
                if (book.find(clOrdId).filter(order -> !order.isDone()).isPresent()) {
                    scheduleFill(clOrdId);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "could not fill %s", clOrdId);
            }
        }, book.rules().fillDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a report to {@code to}, or when null to the session the order came from. */
    public void send(Report report, SessionID to, char requestedSide) {
        SimulatedOrder order = report.order();
        ExecutionReport message = new ExecutionReport();
        message.set(new ClOrdID(report.clOrdId()));
        message.set(new OrderID(order == null ? "NONE" : order.exchangeOrderId()));
        message.set(new ExecID(report.execId() != null ? report.execId() : "S" + statusExecIds.incrementAndGet()));
        message.set(new ExecType(execType(report.type())));
        message.set(new OrdStatus(order == null ? OrdStatus.REJECTED : ordStatus(order.status())));
        message.set(new Side(order == null ? requestedSide : order.buy() ? Side.BUY : Side.SELL));
        message.set(new Symbol(order == null ? "UNKNOWN" : order.symbol()));
        message.set(new TransactTime(LocalDateTime.now(ZoneOffset.UTC)));
        BigDecimal filled = order == null ? BigDecimal.ZERO : order.filledQuantity();
        FixValues.setDecimal(message, CumQty.FIELD, filled);
        FixValues.setDecimal(message, AvgPx.FIELD, order == null ? BigDecimal.ZERO : order.averagePrice());
        FixValues.setDecimal(message, LeavesQty.FIELD, order == null || order.isDone() ? BigDecimal.ZERO : order.remaining());
        if (order != null) {
            FixValues.setDecimal(message, OrderQty.FIELD, order.quantity());
        }
        if (report.type() == ReportType.FILL) {
            FixValues.setDecimal(message, LastQty.FIELD, report.lastQuantity());
            FixValues.setDecimal(message, LastPx.FIELD, report.lastPrice());
        }
        if (report.type() == ReportType.UNKNOWN) {
            message.set(new OrdRejReason(OrdRejReason.UNKNOWN_ORDER));
            message.set(new Text("unknown order"));
        } else if (order == null) {
            message.set(new Text("only buy or sell, market or limit orders are accepted"));
        } else if (order.reason() != null) {
            message.set(new Text(order.reason()));
        }
        SessionID target = to != null ? to : new SessionID(order.session());
        ExecutionReport hostile = hostileCopy(message);
        if (hostile != null) {
            try {
                Session.sendToTarget(hostile, target);
            } catch (SessionNotFound e) {
                // the real report below says the same
            }
        }
        try {
            // false when the session is down: the message is stored and goes out on the client's resend request
            if (!Session.sendToTarget(message, target)) {
                LOG.debugf("session %s is down, report for %s stored for resend", target, report.clOrdId());
            }
        } catch (SessionNotFound e) {
            LOG.warnf("no FIX session %s for the report of %s", target, report.clOrdId());
        }
    }

    private static char execType(ReportType type) {
        return switch (type) {
            case NEW -> ExecType.NEW;
            case FILL -> ExecType.TRADE;
            case REJECTED -> ExecType.REJECTED;
            case STATUS, UNKNOWN -> ExecType.ORDER_STATUS;
        };
    }

    private static char ordStatus(SimulatedOrder.Status status) {
        return switch (status) {
            case NEW -> OrdStatus.NEW;
            case PARTIALLY_FILLED -> OrdStatus.PARTIALLY_FILLED;
            case FILLED -> OrdStatus.FILLED;
            case REJECTED -> OrdStatus.REJECTED;
        };
    }
}
