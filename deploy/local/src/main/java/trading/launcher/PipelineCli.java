package trading.launcher;

import trading.launcher.bench.Bench;
import trading.launcher.chaos.Chaos;
import trading.launcher.stack.LiveSummary;
import trading.launcher.stack.Stack;
import trading.launcher.stack.Supervisor;
import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackException;
import sun.misc.Signal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./pipeline}: the user's entry point on one machine. {@code up} starts the whole stack
 * ({@link Stack}), prints where everything listens and a live summary, and stops everything on
 * Ctrl-C.
 */
public final class PipelineCli {

    private static final String USAGE = """
            usage: ./pipeline COMMAND [options]

              up                 start Kafka, Apicurio Registry, the services and every strategy of the catalog
                                 (strategies/); Ctrl-C stops everything
              replay FILE        publish a CSV price file into the running stack
              backtest FILE      run every strategy of the catalog over a CSV price file, offline, with the
                                 values its live service runs
              backtest --topic prices [--from TIME] [--to TIME]
                                 the same over a running stack's topic (read_committed; TIME in ISO-8601,
                                 e.g. 2026-11-23T10:00:00Z, compared with each record's publication time)
              reset STRATEGY     make a strategy of the catalog reprocess prices from the start (stack stopped)
              strategies         list the catalog: each strategy's rule, parameters, group and port
              generate           write the deployment files the catalog makes (compose, Kubernetes, Prometheus)
              compose-secrets    make the secrets docker-compose.yml needs (once; kept): .env with the Kafbat
                                 and Grafana passwords, deploy/compose/security/ with the services' logins
              new-strategy NAME  a new strategy module from the template: a rule to fill in, its tests, its
                                 catalog entry (strategies/NAME.properties); see docs/strategies.md
              bench              measure strategy throughput and CPU per price, tick-to-order latency and the
                                 sustained pipeline rate, each beside a bare Kafka baseline from the same run
                                 (about 20 minutes)
              setup              make what the catalog's strategies need on this machine (their modules'
                                 prepare: Debian packages as root, else one line naming them); up does it too
              chaos              run a market while killing and restarting services, sending bad and
                                 repeated records; then check nothing was lost or doubled (exit 1 if so)

            options of up:
              --instances N      instances of each strategy and of order-execution (default 1)
              --rate R           simulated prices per second (default 200)
              --seed S           seed of the simulated market (default 42)
              --tickers N        simulate N tickers (T0001 ...) instead of the 24 default ones
              --standby N        standby replicas per strategy task (default 1 with --instances > 1, else 0)
              --replay FILE      replay FILE instead of simulating
              --speed S          replay speed: original, max, or N (times faster); default max
              --resume           keep the previous run's data (default: start fresh)
              --port-offset N    add N to every port (to run beside another stack)
              --listen ADDRESS   the services' HTTP ports listen on ADDRESS (e.g. 0.0.0.0: every interface);
                                 default 127.0.0.1, this machine only. Kafka, the registry and FIX stay there
              --brokers N        Kafka nodes: 1 (default) or 3 (every partition on 3, min.insync.replicas 2)
              --secure           lock Kafka: TLS (a CA of this machine), SCRAM-SHA-512, one user per service
                                 with only its ACLs (deploy/k8s/base/users.yaml); credentials in .pipeline/security
              --summary-every S  seconds between summary lines (default 5)
              --strict           stop everything when any service cannot start (default: a strategy that
                                 cannot start is left NOT READY with its reason, and the rest trades)
              --broker B         paper (default: fills at the reference price) or fix (FIX 4.4 to the
                                 exchange simulator, which the stack then starts too)
              --fill-parts N     fix: the exchange fills each order in N parts (default 1)
              --fill-delay D     fix: the exchange fills after D (ISO-8601, e.g. PT2S; default at once)
              --reject-rate R    fix: share of orders the exchange rejects, 0 to 1 (default 0)
            options of replay: --speed S, --port-offset N
            options of backtest: --out DIR (writes orders.csv, summary.csv and report.html), --report FILE (the
                                 HTML report: figures, equity and drawdown curves), --param S.P=V1,V2,... (also
                                 run strategy S with parameter P at each value, side by side; repeat for more
                                 parameters: every combination), --quantity Q, --topic T, --from TIME, --to TIME,
                                 --port-offset N
            options of reset: --port-offset N
            options of bench: --out FILE (the same as JSON), --quick (smaller and shorter: about 8 minutes),
                              --sweep (also compare commit.interval.ms values), --profile DIR (Java Flight
                              Recorder files of every service and of the bench's own runs), --port-offset N
            options of chaos: --quick (one instance of each service, shorter faults, no clock or disk faults;
                              default two instances of each strategy, each strategy kill timed until every
                              ticker is answered and until processing resumes), --phase P[,P...] (only these
                              phases: kills, registry, brokers, partitions, clock, disk; default every phase
                              the run can have), --rounds N (rounds of kills, default 1), --standby N (0 times
                              the take-over without standby copies), --seed S, --rate R, --broker paper|fix,
                              --port-offset N
            --secure and --brokers apply to up, bench and chaos; replay and reset find out from the stack.

            A price file has a header line, then timestamp,ticker,price,size per line; the timestamp
            in epoch milliseconds or ISO-8601.
            """;

    /** The registry client logs through JUL; its advice about Vert.x instances is not for users. */
    private static final java.util.logging.Logger QUIET_REGISTRY_CLIENT = java.util.logging.Logger.getLogger("io.apicurio");

    private PipelineCli() {
    }

    public static void main(String[] args) {
        // The launcher's own Kafka clients retry while the broker starts: their warnings would only be noise.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        QUIET_REGISTRY_CLIENT.setLevel(java.util.logging.Level.SEVERE);
        PrintStream out = System.out;
        try {
            if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
                out.print(USAGE);
                System.exit(args.length == 0 ? 2 : 0);
            }
            switch (args[0]) {
                case "up" -> System.exit(up(parse(args), java.util.Arrays.asList(args).contains("--strict"), out));
                case "replay" -> System.exit(Commands.replay(parse(args), out));
                case "backtest" -> System.exit(Commands.backtest(parse(args), out));
                case "reset" -> System.exit(Commands.reset(parse(args), out));
                case "strategies" -> System.exit(Commands.strategies(parse(args), out));
                case "generate" -> System.exit(Commands.generate(parse(args), out));
                case "compose-secrets" -> System.exit(Commands.composeSecrets(parse(args), out));
                case "new-strategy" -> System.exit(Commands.newStrategy(parse(args), out));
                case "bench" -> System.exit(Bench.run(parse(args), java.util.Arrays.asList(args).contains("--quick"),
                        java.util.Arrays.asList(args).contains("--sweep"), out));
                case "chaos" -> System.exit(Chaos.run(parse(args), java.util.Arrays.asList(args).contains("--quick"), out));
                default -> throw new StackException("unknown command '" + args[0] + "'\n" + USAGE);
            }
        } catch (StackException | trading.feed.replay.ReplayException e) {
            System.err.println("pipeline: " + e.getMessage());
            System.exit(1);
        }
    }

    /** What the command line said; {@code argument} is the command's FILE or STRATEGY. */
    /**
     * What the command line said; {@code argument} is the command's FILE, STRATEGY or NAME;
     * {@code params} the backtest's {@code --param STRATEGY.PARAMETER=V1,V2,...}; {@code report}
     * its HTML report.
     */
    public record Options(StackConfig stack, int summarySeconds, String argument, String speed, Path out, java.math.BigDecimal quantity,
                   Path profile, String topic, java.time.Instant from, java.time.Instant to, List<String> params, Path report,
                   String phases, int rounds) {
    }

    static Options parse(String[] args) {
        Path home = Path.of(System.getProperty("pipeline.home", ".")).toAbsolutePath().normalize();
        int instances = 1;
        double rate = 200;
        long seed = 42;
        boolean resume = false;
        boolean secure = false;
        int brokers = 1;
        int portOffset = 0;
        String listen = StackConfig.LOOPBACK;
        int summarySeconds = 5;
        String argument = null;
        List<String> params = new java.util.ArrayList<>();
        Path report = null;
        String replay = null;
        String speed = "max";
        Path out = null;
        Path profile = null;
        java.math.BigDecimal quantity = null; // each strategy's own (strategies/)
        String topic = null;
        java.time.Instant from = null;
        java.time.Instant to = null;
        boolean takesArgument = !List.of("up", "chaos", "bench", "strategies", "generate", "compose-secrets").contains(args[0]);
        java.util.Map<String, String> feedExtra = new java.util.LinkedHashMap<>();
        Integer standby = null;
        String phases = null; // chaos: every phase the run can have
        int rounds = 1;
        String broker = StackConfig.PAPER;
        java.util.Map<String, String> exchange = new java.util.LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (takesArgument && argument == null && !option.startsWith("--")) {
                argument = option;
                continue;
            }
            switch (option) {
                case "--replay" -> replay = value(args, ++i, option);
                case "--tickers" -> feedExtra.put("feed.ticker-count", Integer.toString(intValue(option, value(args, ++i, option), 1, 100_000)));
                case "--standby" -> standby = intValue(option, value(args, ++i, option), 0, 8);
                case "--speed" -> speed = value(args, ++i, option);
                case "--out" -> out = Path.of(value(args, ++i, option));
                case "--param" -> params.add(value(args, ++i, option));
                case "--report" -> report = Path.of(value(args, ++i, option));
                case "--quantity" -> quantity = decimalValue(option, value(args, ++i, option));
                case "--topic" -> topic = value(args, ++i, option);
                case "--from" -> from = instantValue(option, value(args, ++i, option));
                case "--to" -> to = instantValue(option, value(args, ++i, option));
                case "--resume" -> resume = true;
                case "--secure" -> secure = true;
                case "--brokers" -> {
                    brokers = intValue(option, value(args, ++i, option), 1, 3);
                    if (brokers == 2) {
                        throw new StackException("--brokers must be 1 or 3: two nodes cannot lose one (the controllers' quorum needs a majority)");
                    }
                }
                case "--quick", "--sweep", "--strict" -> { } // chaos, bench, up: read by the command
                case "--phase" -> phases = value(args, ++i, option);
                case "--rounds" -> rounds = intValue(option, value(args, ++i, option), 1, 20);
                case "--profile" -> profile = Path.of(value(args, ++i, option));
                case "--broker" -> broker = brokerValue(value(args, ++i, option));
                case "--fill-parts" -> exchange.put("exchange.fill-parts", Integer.toString(intValue(option, value(args, ++i, option), 1, 100)));
                case "--fill-delay" -> exchange.put("exchange.fill-delay", durationValue(option, value(args, ++i, option)));
                case "--reject-rate" -> exchange.put("exchange.reject-rate", rateValue(option, value(args, ++i, option)));
                case "--instances" -> instances = intValue(option, value(args, ++i, option), 1, 9);
                case "--rate" -> rate = doubleValue(option, value(args, ++i, option));
                case "--seed" -> seed = longValue(option, value(args, ++i, option));
                case "--port-offset" -> portOffset = intValue(option, value(args, ++i, option), 0, 50000);
                case "--listen" -> listen = addressValue(option, value(args, ++i, option));
                case "--summary-every" -> summarySeconds = intValue(option, value(args, ++i, option), 1, 3600);
                default -> throw new StackException("unknown option '" + option + "'\n" + USAGE);
            }
        }
        if ((phases != null || rounds != 1) && !args[0].equals("chaos")) {
            throw new StackException("--phase and --rounds are for chaos");
        }
        if ((topic != null || from != null || to != null) && !args[0].equals("backtest")) {
            throw new StackException("--topic, --from and --to are for backtest");
        }
        if ((from != null || to != null) && topic == null) {
            throw new StackException("--from and --to need --topic (a file is read whole)");
        }
        if (topic != null && argument != null) {
            throw new StackException("backtest reads a FILE or --topic, not both");
        }
        if (takesArgument && argument == null && topic == null) {
            throw new StackException(args[0] + " needs " + (args[0].equals("reset") ? "a strategy of the catalog (strategies/)"
                    : args[0].equals("new-strategy") ? "a NAME" : "a FILE") + "\n" + USAGE);
        }
        java.util.Map<String, String> feed = new java.util.LinkedHashMap<>(feedExtra);
        if (replay != null) {
            Path file = Path.of(replay).toAbsolutePath();
            trading.feed.replay.PriceFile.open(file); // a missing file is said now, not in a service log
            feed.put("feed.mode", "replay");
            feed.put("feed.replay.file", file.toString());
            feed.put("feed.replay.speed", speed);
        }
        checkSpeed(speed);
        List<String> javaOptions = standby == null ? List.of() : List.of("-Dkafka-streams.num.standby.replicas=" + standby);
        if (!exchange.isEmpty() && !broker.equals(StackConfig.FIX)) {
            throw new StackException("--fill-parts, --fill-delay and --reject-rate need --broker fix");
        }
        Path runDir = home.resolve(".pipeline");
        if (List.of("replay", "reset").contains(args[0]) || topic != null) {
            // the stack that runs (or ran) there decides, not the options
            secure = StackConfig.ranSecure(runDir);
            brokers = java.nio.file.Files.exists(runDir.resolve("kafka-3")) ? 3 : 1;
        }
        return new Options(new StackConfig(home, runDir, resume, portOffset, instances, rate, seed,
                javaOptions, feed, broker, exchange, secure, brokers, listen), summarySeconds, argument, speed, out, quantity, profile,
                topic, from, to, List.copyOf(params), report, phases, rounds);
    }

    /** An IP address of this machine to listen on (a name could resolve elsewhere tomorrow). */
    private static String addressValue(String option, String text) {
        if (!text.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new StackException(option + " must be an IP address such as 0.0.0.0 or 192.168.1.20, was '" + text + "'");
        }
        try {
            java.net.InetAddress address = java.net.InetAddress.getByName(text);
            if (!address.isAnyLocalAddress() && java.net.NetworkInterface.getByInetAddress(address) == null) {
                throw new StackException(option + " " + text + " is not an address of this machine");
            }
            return address.getHostAddress();
        } catch (java.io.IOException e) {
            throw new StackException(option + " must be an IP address such as 0.0.0.0 or 192.168.1.20, was '" + text + "'");
        }
    }

    private static java.time.Instant instantValue(String option, String text) {
        try {
            return java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new StackException(option + " must be an ISO-8601 instant such as 2026-11-23T10:00:00Z, was '" + text + "'");
        }
    }

    private static String brokerValue(String text) {
        if (!text.equals(StackConfig.PAPER) && !text.equals(StackConfig.FIX)) {
            throw new StackException("--broker must be paper or fix, was '" + text + "'");
        }
        return text;
    }

    private static String durationValue(String option, String text) {
        try {
            java.time.Duration duration = java.time.Duration.parse(text);
            if (duration.isNegative()) {
                throw new StackException(option + " must not be negative, was '" + text + "'");
            }
            return text;
        } catch (java.time.format.DateTimeParseException e) {
            throw new StackException(option + " must be an ISO-8601 duration such as PT2S, was '" + text + "'");
        }
    }

    private static String rateValue(String option, String text) {
        double rate;
        try {
            rate = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new StackException(option + " needs a number, was '" + text + "'");
        }
        if (!(rate >= 0) || rate > 1) {
            throw new StackException(option + " must be between 0 and 1, was " + text);
        }
        return text;
    }

    private static void checkSpeed(String speed) {
        try {
            trading.feed.ReplaySpeed.parse(speed);
        } catch (IllegalArgumentException e) {
            throw new StackException("--" + e.getMessage());
        }
    }

    private static java.math.BigDecimal decimalValue(String option, String text) {
        try {
            java.math.BigDecimal value = new java.math.BigDecimal(text);
            if (value.signum() <= 0) {
                throw new StackException(option + " must be positive, was " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new StackException(option + " needs a decimal number, was '" + text + "'");
        }
    }

    private static int up(Options options, boolean strict, PrintStream out) {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Stack stack = new Stack(options.stack(), out);
        stack.strict(strict);
        Thread safetyNet = new Thread(stack::close, "stop-stack");
        Runtime.getRuntime().addShutdownHook(safetyNet);
        try {
            List<String> drift = new trading.launcher.catalog.Deployments(options.stack().home(),
                    trading.launcher.catalog.StrategyCatalog.of(options.stack().home())).drift();
            if (!drift.isEmpty()) {
                out.println("Note: the compose and Kubernetes files differ from the strategy catalog (" + String.join(", ", drift)
                        + "): ./pipeline generate writes them again. This stack runs the catalog as it is.");
            }
            out.println("Starting the trading pipeline in " + options.stack().runDir()
                    + (options.stack().resume() ? " (resuming the previous run's data)" : " (fresh: the previous run's data is removed)"));
            stack.start();
            out.println();
            out.println("Running processes:");
            stack.describe().forEach(out::println);
            out.println();
            out.println("Dashboard: " + options.stack().serviceUrl(StackConfig.Service.DASHBOARD, 0)
                    + "   (halt and resume there with the risk login below)");
            StackConfig.Service firstStrategy = options.stack().strategies().get(0);
            out.println("Strategies: " + options.stack().strategies().stream()
                    .map(s -> s.strategy().name() + " :" + options.stack().port(s, 0)).collect(java.util.stream.Collectors.joining(", "))
                    + "   (each answers GET /strategy and /state)");
            out.println("Try: curl localhost:" + options.stack().port(firstStrategy, 0) + "/state/AAPL"
                    + "   curl localhost:" + options.stack().port(StackConfig.Service.ORDER_EXECUTION, 0) + "/orders?limit=5"
                    + "   curl localhost:" + options.stack().port(StackConfig.Service.ORDER_EXECUTION, 0) + "/pnl");
            out.println("Halt (user " + stack.credentials().risk().user() + ", password in " + stack.credentials().credentialsFile()
                    + "): curl -u " + stack.credentials().risk().user() + ":PASSWORD -X POST localhost:"
                    + options.stack().port(StackConfig.Service.ORDER_EXECUTION, 0)
                    + "/trading/halt -H 'Content-Type: application/json' -d '{\"reason\":\"...\"}'   (resume: POST /trading/resume)");
            if (options.stack().secure()) {
                out.println("Kafka is locked (SASL_SSL, SCRAM-SHA-512, ACLs per service). Trust "
                        + options.stack().runDir().resolve("security/kafka/ca.crt") + "; passwords in "
                        + options.stack().runDir().resolve("security/kafka/passwords.properties") + ".");
            }
            out.println("Ctrl-C stops everything.");
            out.println();
            watch(stack, options, stop, out);
            return 0;
        } finally {
            stack.close();
            Runtime.getRuntime().removeShutdownHook(safetyNet);
            out.println("Pipeline stopped.");
        }
    }

    private static void watch(Stack stack, Options options, CountDownLatch stop, PrintStream out) {
        LiveSummary summary = new LiveSummary(options.stack(), stack.credentials().viewer());
        Supervisor supervisor = new Supervisor(stack);
        boolean firstFillReported = false;
        try {
            while (!stop.await(firstFillReported ? options.summarySeconds() : 1, TimeUnit.SECONDS)) {
                // a process that exited is started again (see Supervisor for the policy)
                supervisor.check().forEach(line -> out.println("warning: " + line));
                if (!firstFillReported) {
                    var counts = summary.counts();
                    if (counts.isEmpty() || counts.get().filled() == 0) {
                        continue;
                    }
                    firstFillReported = true;
                    out.printf("First fill %.1f s after ./pipeline up started.%n", stack.elapsedSeconds());
                }
                out.println(summaryLine(summary, supervisor, stack));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println();
        out.println("Ctrl-C: stopping.");
    }

    /** A line of {@code up}'s running summary: prices, orders and fills, restarts, and each instance not ready with why. */
    static String summaryLine(LiveSummary summary, Supervisor supervisor, Stack stack) {
        StringBuilder line = new StringBuilder(summary.line()).append(supervisor.summary());
        stack.readiness().forEach((name, why) -> line.append("  NOT READY ").append(name).append(": ").append(why));
        return line.toString();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new StackException(option + " needs a value\n" + USAGE);
        }
        return args[index];
    }

    private static int intValue(String option, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new StackException(option + " must be between " + min + " and " + max + ", was " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new StackException(option + " needs a whole number, was '" + text + "'");
        }
    }

    private static long longValue(String option, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new StackException(option + " needs a whole number, was '" + text + "'");
        }
    }

    private static double doubleValue(String option, String text) {
        try {
            double value = Double.parseDouble(text);
            if (!(value > 0) || value > 1_000_000) {
                throw new StackException(option + " must be above 0 and at most 1000000, was " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new StackException(option + " needs a number, was '" + text + "'");
        }
    }

}
