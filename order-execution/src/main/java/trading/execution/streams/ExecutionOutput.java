package trading.execution.streams;

import trading.schema.ExecutionReport;
import trading.schema.Order;

/** What the execution processor emits: a report for {@code executions}, or an order for the FIX gateway's outbox. */
record ExecutionOutput(ExecutionReport report, Order brokerOrder) {

    static ExecutionOutput report(ExecutionReport report) {
        return new ExecutionOutput(report, null);
    }

    static ExecutionOutput toBroker(Order order) {
        return new ExecutionOutput(null, order);
    }
}
