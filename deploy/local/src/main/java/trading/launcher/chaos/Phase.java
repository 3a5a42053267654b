package trading.launcher.chaos;

import trading.launcher.stack.StackException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The parts of a chaos run, each of which can run alone ({@code ./pipeline chaos --phase brokers}).
 * Whatever the phases, the run sends bad and repeated records and ends with the same check against
 * a backtest of the prices on the topic: nothing lost, nothing doubled.
 */
public enum Phase {
    /** kill -9 and restart of every strategy instance and order-execution ({@code --rounds} times), a strategy paused past its timeouts. */
    KILLS(1, false, false),
    /** the schema registry paused, then killed, while strategies start with nothing cached. */
    REGISTRY(1, false, false),
    /** one node: the broker killed while a strategy starts; three nodes: nodes killed, stopped, paused, two down at once. */
    BROKERS(1, false, false),
    /** a strategy instance cut from every broker past its timeouts while a successor takes over. */
    PARTITIONS(3, true, false),
    /** a service's clock set off, forward and back. */
    CLOCK(1, false, true),
    /** a broker's log directory filled up. */
    DISK(3, true, true);

    private final int brokersNeeded;
    private final boolean needsIsolation;
    private final boolean fullOnly;

    Phase(int brokersNeeded, boolean needsIsolation, boolean fullOnly) {
        this.brokersNeeded = brokersNeeded;
        this.needsIsolation = needsIsolation;
        this.fullOnly = fullOnly;
    }

    /** As written on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the network and disk faults' means (iptables, control groups, a disk image) are needed. */
    boolean needsIsolation() {
        return needsIsolation;
    }

    /**
     * The phases of a run: those named in {@code option} (comma-separated), or, without it, every
     * phase this number of brokers can have (in quick mode not the clock or the disk, which take
     * minutes of their own, nor on three nodes the registry). A phase the run cannot have is a
     * one-line error.
     */
    static Set<Phase> of(String option, boolean quick, int brokers) {
        if (option == null) {
            Set<Phase> phases = EnumSet.noneOf(Phase.class);
            for (Phase phase : values()) {
                if (brokers >= phase.brokersNeeded && !(quick && phase.fullOnly)) {
                    phases.add(phase);
                }
            }
            if (quick && brokers >= 3) {
                phases.remove(REGISTRY); // the registry does not care how many brokers there are: the one-node quick run has it
            }
            return phases;
        }
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String name : option.split(",", -1)) {
            Phase phase = byLabel(name.trim());
            if (brokers < phase.brokersNeeded) {
                throw new StackException("chaos --phase " + phase.label() + " needs --brokers " + phase.brokersNeeded);
            }
            phases.add(phase);
        }
        return phases;
    }

    private static Phase byLabel(String label) {
        for (Phase phase : values()) {
            if (phase.label().equals(label)) {
                return phase;
            }
        }
        List<String> labels = new ArrayList<>();
        for (Phase phase : values()) {
            labels.add(phase.label());
        }
        throw new StackException("chaos --phase must be one or more of " + String.join(", ", labels)
                + " (comma-separated), was '" + label + "'");
    }

    /** The phases as the command line writes them. */
    static String labels(Set<Phase> phases) {
        return String.join(",", phases.stream().map(Phase::label).toList());
    }
}
