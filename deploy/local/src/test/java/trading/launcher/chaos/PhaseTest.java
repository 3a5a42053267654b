package trading.launcher.chaos;

import org.junit.jupiter.api.Test;
import trading.launcher.stack.StackException;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trading.launcher.chaos.Phase.BROKERS;
import static trading.launcher.chaos.Phase.CLOCK;
import static trading.launcher.chaos.Phase.DISK;
import static trading.launcher.chaos.Phase.KILLS;
import static trading.launcher.chaos.Phase.PARTITIONS;
import static trading.launcher.chaos.Phase.REGISTRY;

class PhaseTest {

    @Test
    void withoutAPhaseARunHasEveryPhaseItsBrokersAllow() {
        assertEquals(EnumSet.of(KILLS, REGISTRY, BROKERS), Phase.of(null, true, 1), "quick, one node");
        assertEquals(EnumSet.of(KILLS, BROKERS, PARTITIONS), Phase.of(null, true, 3), "quick, three nodes");
        assertEquals(EnumSet.of(KILLS, REGISTRY, BROKERS, CLOCK), Phase.of(null, false, 1), "full, one node");
        assertEquals(EnumSet.allOf(Phase.class), Phase.of(null, false, 3), "full, three nodes: every fault");
    }

    @Test
    void namedPhasesAreTheOnlyOnesEvenInQuickMode() {
        assertEquals(EnumSet.of(BROKERS, PARTITIONS), Phase.of("partitions,brokers", true, 3));
        assertEquals(EnumSet.of(DISK), Phase.of(" disk ", true, 3), "a phase of the full run, asked for in a quick one");
        assertEquals(EnumSet.of(REGISTRY), Phase.of("registry", true, 3));
        assertEquals("kills,brokers", Phase.labels(Phase.of("brokers,kills", true, 1)), "in the order they run");
    }

    @Test
    void aPhaseTheRunCannotHaveIsOneLine() {
        StackException needs = assertThrows(StackException.class, () -> Phase.of("partitions", true, 1));
        assertEquals("chaos --phase partitions needs --brokers 3", needs.getMessage());
        StackException unknown = assertThrows(StackException.class, () -> Phase.of("kills,network", true, 3));
        assertTrue(unknown.getMessage().contains("one or more of kills, registry, brokers, partitions, clock, disk"), unknown.getMessage());
        assertTrue(unknown.getMessage().endsWith("was 'network'"), unknown.getMessage());
        assertThrows(StackException.class, () -> Phase.of("", true, 1));
        assertFalse(unknown.getMessage().contains("\n"));
    }
}
