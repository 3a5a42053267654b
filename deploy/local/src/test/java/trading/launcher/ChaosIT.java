package trading.launcher;

import trading.launcher.chaos.Chaos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./pipeline chaos --quick} as CI runs it: one round of kill -9 and restart of each
 * strategy and order-execution under a running market, bad records, re-sent prices, the registry
 * paused and killed while strategies start, a strategy paused past its timeouts, the only broker
 * killed while a strategy starts, then the
 * check against a backtest of the prices on the topic; and the same on three Kafka nodes with
 * broker faults (a node killed, one stopped, the transaction coordinator frozen past the
 * transaction timeout, two nodes down at once), a strategy instance cut from every broker past its
 * timeouts while a successor takes over (iptables on loopback), and the lost-write check.
 */
@Timeout(value = 18, unit = TimeUnit.MINUTES) // a safety net: on a slow day one quick run takes over 10 minutes
class ChaosIT {

    @Test
    void killsBadRecordsAndRepeatedPricesLoseNothingAndDoubleNothing() {
        PipelineCli.Options options = PipelineCli.parse(new String[]{"chaos", "--quick", "--port-offset", "4000"});
        Chaos.Report report = Chaos.execute(options, true, System.out);
        report.print(System.out);
        assertEquals(List.of("abc", "abc-slow", "qrs", "xyz"), report.strategies(), "every strategy of the catalog runs, qrs (Python) too");
        assertEquals(report.strategies().size() + 1, report.kills(), "each strategy and order-execution killed once");
        assertTrue(report.pricesPublished() > report.pricesDistinct(), "prices were re-sent");
        assertTrue(report.ordersExpected() > 100, "enough orders to mean something: " + report.ordersExpected());
        assertEquals(4, report.dependencyFaults().size(),
                "registry paused, registry killed, a strategy paused, the broker away while a strategy starts: " + report.dependencyFaults());
        assertTrue(report.dependencyFaults().get(0).saidMeanwhile().values().stream().allMatch(said -> said.contains("registry")),
                "each instance started while the registry was paused (Java and Python) said on its readiness that it waits for it: "
                        + report.dependencyFaults().get(0));
        assertTrue(report.passed(), "nothing lost, doubled or left out of a dead-letter topic: " + report);
    }

    @Test
    void onThreeNodesBrokerFaultsLoseNoAcknowledgedPriceAndDoubleNothing() {
        // Every phase of a quick three-node run, kills included: with --phase partitions,brokers
        // (2026-12-07) one CI run found strategy-qrs stuck 34 175 prices behind after the broker
        // faults, an instance that had lived through them all; until that is fixed, the kills stay.
        PipelineCli.Options options = PipelineCli.parse(new String[]{"chaos", "--quick", "--brokers", "3", "--port-offset", "5000"});
        Chaos.Report report = Chaos.execute(options, true, System.out);
        report.print(System.out);
        assertEquals(4, report.brokerFaults().size(), "a kill, a stop, a pause and two down: " + report.brokerFaults());
        assertEquals(1, report.networkFaults().size(), "a strategy instance cut from every broker: " + report.networkFaults());
        Map<String, String> partition = report.networkFaults().get(0).saidMeanwhile();
        // the instance cut off is the catalog's first transactional Java strategy's (abc-slow): what
        // the fault checks is a zombie's transaction fenced (docs/architecture.md)
        assertTrue(partition.get("strategy-abc-slow-1").startsWith("ready"), "the successor took over: " + partition);
        assertTrue(partition.get("strategy-abc-slow-0 once healed").startsWith("fenced"),
                "the instance cut off found, once healed, that it had lost its tasks and its transaction: " + partition);
        // the faults take over three minutes at 200 prices/s, and the feed runs through them all
        assertTrue(report.pricesAcknowledged() >= 30_000, "the feed's prices were acknowledged: " + report.pricesAcknowledged());
        assertEquals(0, report.pricesLost(), "every acknowledged price is on the topic");
        assertEquals(0, report.tickersNotApplied(), "every strategy applied every price");
        assertTrue(report.passed(), "nothing lost, doubled or left out of a dead-letter topic: " + report);
    }
}
