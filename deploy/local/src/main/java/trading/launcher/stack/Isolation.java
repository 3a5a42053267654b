package trading.launcher.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Network faults between the processes of one machine's stack, which all talk over loopback: each
 * process starts in a control group of its own (cgroup v2), and an iptables chain of this stack
 * drops TCP packets that a group's sockets send to chosen loopback ports. A socket belongs to the
 * group of the process that opened it (an accepted one to its listener's), so cutting A's packets
 * to B's ports and B's to A's cuts the link both ways, while both still talk to everyone else.
 * Nothing is sent anywhere: a rule only drops packets on the loopback interface, and
 * {@link #close()} removes the chain and the groups.
 *
 * <p>It also gives a process a small disk of its own (a tmpfs), which a fault can fill.
 *
 * <p>Needs root, a cgroup v2 hierarchy and iptables with the {@code cgroup} and {@code statistic}
 * matches; {@link #unavailable()} says which is missing.
 */
public final class Isolation implements AutoCloseable {

    private static final Path MOUNTS = Path.of("/proc/mounts");

    private final Path root;
    private final String group;
    private final String chain;
    private final List<String> cgroups = new ArrayList<>();
    private final Map<String, Long> diskSizes = new LinkedHashMap<>();
    private final List<Path> mounts = new ArrayList<>();
    private Path runDir;

    private Isolation(Path root, String group) {
        this.root = root;
        this.group = group;
        this.chain = group.toUpperCase(); // iptables allows 28 characters
    }

    /**
     * A fresh chain and control group for the stack on {@code portOffset} in {@code runDir} (those a
     * killed run left, and its disks, are removed).
     */
    public static Isolation create(int portOffset, Path runDir) {
        String why = unavailable().orElse(null);
        if (why != null) {
            throw new StackException("network faults cannot run here: " + why);
        }
        Isolation isolation = new Isolation(cgroup2Root().orElseThrow(), "pipeline" + portOffset);
        isolation.runDir = runDir.toAbsolutePath().normalize();
        isolation.removeChain();
        isolation.unmountUnder(isolation.runDir);
        isolation.iptables(true, "-N", isolation.chain);
        isolation.iptables(true, "-I", "OUTPUT", "-j", isolation.chain);
        return isolation;
    }

    /** Why network faults cannot run on this machine, or empty when they can. */
    public static Optional<String> unavailable() {
        if (!"0".equals(String.valueOf(run(List.of("id", "-u"))).trim())) {
            return Optional.of("iptables rules need root");
        }
        if (cgroup2Root().isEmpty()) {
            return Optional.of("no cgroup v2 hierarchy is mounted (" + MOUNTS + ")");
        }
        if (run(List.of("iptables", "-m", "cgroup", "-h")) == null) {
            return Optional.of("iptables, or its cgroup match, is missing");
        }
        return Optional.empty();
    }

    /** {@code command}, started inside the control group of {@code processName}; a restart joins the same one. */
    List<String> wrap(String processName, List<String> command) {
        Path dir = root.resolve(group).resolve(processName);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StackException("cannot create the control group " + dir + ": " + e.getMessage(), e);
        }
        if (!cgroups.contains(processName)) {
            cgroups.add(processName);
        }
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c",
                "echo $$ > \"$0\" && exec \"$@\"", dir.resolve("cgroup.procs").toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Gives {@code processName} a disk of its own of {@code bytes} (a tmpfs) for the data folder the
     * stack names in {@link #mountDisk}, so that {@link #fill} can fill it without touching the machine's.
     */
    public void ownDisk(String processName, long bytes) {
        diskSizes.put(processName, bytes);
    }

    /** Mounts the disk of {@code processName}, if it has one, on {@code dir} (once; a restart keeps it). */
    void mountDisk(String processName, Path dir) {
        Long bytes = diskSizes.get(processName);
        Path target = dir.toAbsolutePath().normalize();
        if (bytes == null || mounts.contains(target)) {
            return;
        }
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new StackException("cannot create " + target + ": " + e.getMessage(), e);
        }
        if (run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=700", "tmpfs", target.toString())) == null) {
            throw new StackException("cannot mount a disk of its own for " + processName + " on " + target);
        }
        mounts.add(target);
    }

    /** The filler of a full disk: written until the disk refuses, so that the next write there fails. */
    public static Path fill(Path dir) {
        Path filler = dir.resolve("disk-full-filler");
        byte[] chunk = new byte[1 << 20];
        try (var output = Files.newOutputStream(filler)) {
            while (true) {
                output.write(chunk);
            }
        } catch (IOException e) {
            return filler; // no space left: what was wanted
        }
    }

    /** A rule in force: {@link #heal} removes it. */
    public record Cut(List<String> rule, String description) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** Drops every TCP packet that {@code from}'s sockets send to any of {@code ports} on loopback. */
    public Cut cut(String from, Collection<Integer> ports) {
        return add(from, ports, List.of(), from + " cut from :" + ports);
    }

    /** Drops that share ({@code 0 < loss < 1}) of the packets, chosen at random: a lossy link, which TCP retransmits. */
    public Cut degrade(String from, Collection<Integer> ports, double loss) {
        return add(from, ports, List.of("-m", "statistic", "--mode", "random", "--probability", Double.toString(loss)),
                String.format("%s loses %.0f%% of its packets to :%s", from, loss * 100, ports));
    }

    private Cut add(String from, Collection<Integer> ports, List<String> match, String description) {
        if (!cgroups.contains(from)) {
            throw new StackException(from + " was not started in a control group of this stack");
        }
        List<String> rule = new ArrayList<>(List.of(chain, "-p", "tcp", "-d", "127.0.0.0/8", "-m", "multiport",
                "--dports", String.join(",", ports.stream().map(String::valueOf).toList()),
                "-m", "cgroup", "--path", group + "/" + from));
        rule.addAll(match);
        rule.addAll(List.of("-j", "DROP"));
        List<String> append = new ArrayList<>(List.of("-A"));
        append.addAll(rule);
        iptables(true, append.toArray(String[]::new));
        return new Cut(List.copyOf(rule), description);
    }

    public void heal(Cut cut) {
        List<String> delete = new ArrayList<>(List.of("-D"));
        delete.addAll(cut.rule());
        iptables(true, delete.toArray(String[]::new));
    }

    /** Removes every rule and the chain, the disks, then the control groups of processes that have ended. */
    @Override
    public void close() {
        removeChain();
        mounts.forEach(mount -> run(List.of("umount", "-l", mount.toString())));
        mounts.clear();
        Path parent = root.resolve(group);
        if (Files.isDirectory(parent)) {
            try (Stream<Path> children = Files.list(parent)) {
                children.filter(Files::isDirectory).forEach(dir -> dir.toFile().delete()); // a group still in use stays
            } catch (IOException e) {
                // left for the next run's create
            }
            parent.toFile().delete();
        }
    }

    private void removeChain() {
        while (iptables(false, "-D", "OUTPUT", "-j", chain)) {
            // a chain may have been linked more than once by runs that were killed
        }
        iptables(false, "-F", chain);
        iptables(false, "-X", chain);
    }

    private boolean iptables(boolean required, String... arguments) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            boolean ok = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
            if (!ok && required) {
                throw new StackException(String.join(" ", command) + " failed: " + output.strip());
            }
            return ok;
        } catch (IOException e) {
            throw new StackException("cannot run iptables: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    private void unmountUnder(Path dir) {
        try (Stream<String> lines = Files.lines(MOUNTS)) {
            lines.map(line -> line.split(" ")).filter(fields -> fields.length > 2 && fields[2].equals("tmpfs"))
                    .map(fields -> Path.of(fields[1])).filter(mount -> mount.startsWith(dir))
                    .forEach(mount -> run(List.of("umount", "-l", mount.toString())));
        } catch (IOException e) {
            // nothing mounted by an earlier run
        }
    }

    /** Where the cgroup v2 hierarchy is mounted (on a hybrid host, its unified part). */
    static Optional<Path> cgroup2Root() {
        try (Stream<String> lines = Files.lines(MOUNTS)) {
            return lines.map(line -> line.split(" ")).filter(fields -> fields.length > 2 && fields[2].equals("cgroup2"))
                    .map(fields -> Path.of(fields[1])).filter(Files::isWritable).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The output of a short command, or null when it fails. */
    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
