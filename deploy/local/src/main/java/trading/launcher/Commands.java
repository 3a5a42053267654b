package trading.launcher;

import trading.launcher.backtest.Backtest;
import trading.launcher.backtest.BacktestReport;
import trading.launcher.backtest.ParameterSets;
import trading.launcher.catalog.Deployments;
import trading.launcher.catalog.NewStrategy;
import trading.launcher.catalog.StrategyCatalog;
import trading.launcher.catalog.StrategyRules;
import trading.strategy.StrategyInfo;
import trading.launcher.backtest.TopicPrices;
import trading.launcher.stack.ManagedProcess;
import trading.launcher.stack.PrivateFiles;
import trading.launcher.stack.Stack;
import trading.launcher.stack.ComposeSecrets;
import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.tools.StreamsResetter;
import trading.feed.replay.PriceFile;
import trading.schema.Topics;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code ./pipeline replay}, {@code backtest} and {@code reset}. */
final class Commands {

    /** How long a running replay feed may leave its status unanswered before the replay gives up on it. */
    private static final Duration REPLAY_SILENCE = Duration.ofSeconds(60);

    private Commands() {
    }

    static int backtest(PipelineCli.Options options, PrintStream out) {
        Backtest.Source prices;
        String what;
        if (options.topic() != null) {
            prices = new TopicPrices(options.stack(), options.topic(), options.from(), options.to());
            what = "topic " + options.topic() + " on " + options.stack().bootstrapServers()
                    + (options.from() == null ? "" : " from " + options.from()) + (options.to() == null ? "" : " to " + options.to());
        } else {
            PriceFile file = PriceFile.open(Path.of(options.argument()));
            prices = Backtest.of(file);
            what = file.path().toString();
        }
        Map<String, String> descriptions = new java.util.LinkedHashMap<>();
        List<Backtest.Strategy> strategies = strategies(options.stack().home(), options.quantity(), options.params(),
                descriptions, out);
        out.println("Backtest of " + what + ", fills at reference prices");
        Backtest.Result result = Backtest.run(prices, strategies, out);
        Backtest.print(result, out);
        Path report = options.report() != null ? options.report()
                : options.out() != null ? options.out().resolve("report.html") : null;
        if (options.out() != null) {
            try {
                Backtest.write(result, options.out());
            } catch (IOException e) {
                throw new StackException("cannot write to " + options.out() + ": " + e.getMessage(), e);
            }
            out.println("Wrote " + options.out().resolve("orders.csv") + ", " + options.out().resolve("performance.csv") + " and "
                    + options.out().resolve("summary.csv"));
        }
        if (report != null) {
            BacktestReport.write(result, what, descriptions, report);
            out.println("Wrote the report " + report.toAbsolutePath() + " (open it in a browser; it needs no network)");
        }
        return 0;
    }

    /**
     * Every strategy of the catalog with the values its live service runs (strategies/), each
     * printed with where its values come from; {@code quantity}, when given, replaces each one's.
     */
    static List<Backtest.Strategy> strategies(Path home, BigDecimal quantity, List<String> params,
                                              Map<String, String> descriptions, PrintStream out) {
        StrategyRules rules = new StrategyRules(home);
        StrategyCatalog catalog = StrategyCatalog.of(home);
        Map<String, List<Map<String, String>>> variants = ParameterSets.parse(params, catalog);
        List<Backtest.Strategy> strategies = new ArrayList<>();
        for (StrategyCatalog.Entry entry : catalog.entries()) {
            List<StrategyCatalog.Entry> runs = new ArrayList<>(List.of(entry));
            for (Map<String, String> changed : variants.getOrDefault(entry.name(), List.of())) {
                StrategyCatalog.Entry variant = entry.withParameters(changed);
                if (!rules.info(variant).parameters().equals(rules.info(entry).parameters())) {
                    runs.add(variant.named(ParameterSets.name(entry.name(), changed)));
                }
            }
            for (StrategyCatalog.Entry run : runs) {
                Backtest.Strategy defined = Backtest.Strategy.of(home, run);
                Backtest.Strategy strategy = quantity == null ? defined : defined.withQuantity(quantity);
                StrategyInfo info = rules.info(run);
                String description = info.rule() + " " + parameters(info) + ", quantity "
                        + strategy.quantity().toPlainString();
                descriptions.put(run.name(), description);
                out.println("  " + run.name() + ": " + description + (run == entry
                        ? (quantity == null ? " (the live values, " : " (--quantity; the rest live, ")
                        + StrategyCatalog.FOLDER + "/" + entry.file().getFileName() + ")" : " (--param)"));
                strategies.add(strategy);
            }
        }
        return strategies;
    }

    /** A strategy's effective parameters as {@code name=value name=value}. */
    static String parameters(StrategyInfo info) {
        return info.parameters().entrySet().stream().map(p -> p.getKey() + "=" + p.getValue().toPlainString())
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** {@code ./pipeline strategies}: the catalog, each strategy with its effective values. */
    static int strategies(PipelineCli.Options options, PrintStream out) {
        Path home = options.stack().home();
        StrategyRules rules = new StrategyRules(home);
        out.printf("%-12s %-20s %-28s %-10s %-30s %s%n", "strategy", "rule", "parameters", "quantity", "group", "port");
        for (StrategyCatalog.Entry entry : StrategyCatalog.of(home).entries()) {
            StrategyInfo info = rules.info(entry);
            out.printf("%-12s %-20s %-28s %-10s %-30s %d%s%n", entry.name(), info.rule(), parameters(info),
                    entry.quantity(), entry.applicationId(), entry.httpPort(), entry.external() ? " (" + entry.module() + "/run)" : "");
        }
        out.println("From " + home.relativize(home.resolve(StrategyCatalog.FOLDER)) + "/, one file per strategy.");
        return 0;
    }

    /** {@code ./pipeline generate}: the deployment files the catalog makes. */
    static int generate(PipelineCli.Options options, PrintStream out) {
        Path home = options.stack().home();
        List<String> changed = new Deployments(home, StrategyCatalog.of(home)).write();
        out.println(changed.isEmpty() ? "The deployment files already match the catalog."
                : "Wrote " + String.join(", ", changed));
        return 0;
    }

    /** {@code ./pipeline compose-secrets}: the secrets docker-compose.yml refuses to start without. */
    static int composeSecrets(PipelineCli.Options options, PrintStream out) {
        ComposeSecrets.Made made = ComposeSecrets.ensure(options.stack().home(), options.stack().services(), out);
        out.println("docker compose up --build now finds them. The passwords are in " + made.environment() + " (Kafbat UI and"
                + " Grafana, user admin) and " + made.credentials().credentialsFile() + " (risk and viewer); no password is printed.");
        return 0;
    }

    /** {@code ./pipeline new-strategy NAME}: a strategy module from the template, in the catalog and the build. */
    static int newStrategy(PipelineCli.Options options, PrintStream out) {
        Path home = options.stack().home();
        NewStrategy.Made made = NewStrategy.create(home, options.argument());
        String name = options.argument();
        out.println("Made strategy " + name + ":");
        made.files().forEach(file -> out.println("  " + home.relativize(file)));
        out.println("  and added the module to pom.xml; the deployment files are generated again (./pipeline generate).");
        out.println("Next:");
        out.println("  1. write your rule in " + home.relativize(made.files().stream()
                .filter(f -> f.toString().endsWith("Rule.java")).findFirst().orElse(made.module())) + " and its tests;");
        out.println("     ./mvnw -pl " + home.relativize(made.module()) + " -am package   builds it and runs them");
        out.println("  2. ./pipeline backtest FILE      judges it beside the others on a price file (its parameters: "
                + home.relativize(made.entry()) + ")");
        out.println("  3. ./pipeline up                 runs it with the others; the dashboard shows it");
        return 0;
    }

    static int replay(PipelineCli.Options options, PrintStream out) {
        Path file = Path.of(options.argument()).toAbsolutePath();
        PriceFile.open(file);
        Stack stack = new Stack(options.stack(), out);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stop-replay"));
        out.println("Replaying " + file + " at speed " + options.speed() + " into the stack on " + options.stack().bootstrapServers());
        ManagedProcess feed = stack.startReplayFeed(file, options.speed());
        String status = "http://localhost:" + (StackConfig.REPLAY_FEED_PORT + options.stack().portOffset()) + "/feed";
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        try {
            JsonNode last = null;
            long lastAnswer = System.nanoTime();
            while (feed.isAlive()) {
                HttpResponse<String> response;
                try {
                    response = http.send(HttpRequest.newBuilder(URI.create(status))
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.net.http.HttpTimeoutException e) {
                    // a busy machine (the stack beside it) can delay an answer; the feed is alive, so ask again
                    if (System.nanoTime() - lastAnswer > REPLAY_SILENCE.toNanos()) {
                        throw new StackException("the replay feed is running but has not answered " + status + " for "
                                + REPLAY_SILENCE.toSeconds() + " s; see " + feed.log());
                    }
                    continue;
                }
                lastAnswer = System.nanoTime();
                last = json.readTree(response.body());
                JsonNode replay = last.path("replay");
                if (replay.path("finished").asBoolean()) {
                    break;
                }
                out.printf("replay: %,d of %,d prices (%,.0f/s), %d lines skipped, %s s left%n", replay.path("rows").asLong(),
                        replay.path("total").asLong(), last.path("actualRate").asDouble(), replay.path("skippedLines").asLong(),
                        replay.path("secondsLeft").isNull() ? "?" : replay.path("secondsLeft").asText());
                Thread.sleep(1000);
            }
            if (last == null || !last.path("replay").path("finished").asBoolean()) {
                throw new StackException("the replay feed stopped before the end; see " + feed.log());
            }
            return replayOutcome(last, feed.log(), out);
        } catch (IOException e) {
            throw new StackException("lost the replay feed: " + e.getMessage() + "; see " + feed.log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            stack.close();
        }
    }

    /**
     * What a finished replay printed and exits with, from the feed's last status: 0 when every
     * row was published or skipped with its reason, 1 (saying how many rows were not published and
     * why) when the feed stopped early or a send failed, so that a script does not go on as if the
     * whole file were on the topic.
     */
    static int replayOutcome(JsonNode last, Path log, PrintStream out) {
        JsonNode replay = last.path("replay");
        boolean whole = replay.path("stoppedBy").isNull() && last.path("failed").asLong() == 0;
        out.printf("%s: %,d prices published (%,.0f/s), %,d lines skipped.%n", whole ? "Replay done" : "Replay stopped",
                last.path("published").asLong(), last.path("actualRate").asDouble(), replay.path("skippedLines").asLong());
        replay.path("skipped").forEach(line -> out.println("  skipped " + line.asText()));
        if (whole) {
            return 0;
        }
        out.printf("  %,d of %,d rows were not published (%,d sends failed): %s; see %s%n",
                Math.max(0, replay.path("total").asLong() - replay.path("rows").asLong() - replay.path("skippedLines").asLong()),
                replay.path("total").asLong(), last.path("failed").asLong(),
                replay.path("stoppedBy").isNull() ? last.path("lastError").asText() : replay.path("stoppedBy").asText(), log);
        return 1;
    }

    /**
     * Resets a strategy's Kafka Streams application (its committed offsets on {@code prices} back
     * to the start, its changelog and repartition topics deleted) and removes its local state, so
     * that the next {@code ./pipeline up --resume} reprocesses every price. The stack must be
     * stopped; the broker is started alone for the reset.
     */
    static int reset(PipelineCli.Options options, PrintStream out) {
        reset(options.stack(), options.argument(), out);
        return 0;
    }

    static void reset(StackConfig config, String strategy, PrintStream out) {
        String applicationId = StrategyCatalog.of(config.home()).get(strategy).applicationId();
        try (Stack stack = new Stack(config, out)) {
            out.println("Starting Kafka alone on the previous run's data to reset " + applicationId);
            stack.startBrokerOnly();
            java.util.List<String> arguments = new java.util.ArrayList<>(java.util.List.of(
                    "--bootstrap-server", config.bootstrapServers(),
                    "--application-id", applicationId,
                    "--input-topics", Topics.PRICES,
                    "--to-earliest",
                    // The broker was just restarted and remembers the stopped instances as members
                    // until their sessions time out; the stack is down (its ports were free), so
                    // they are stale and may go.
                    "--force"));
            if (config.secure()) {
                arguments.addAll(java.util.List.of("--config-file", clientConfigFile(config).toString()));
            }
            int code = new StreamsResetter().execute(arguments.toArray(String[]::new));
            if (code != 0) {
                throw new StackException("the reset of " + applicationId + " failed (is the strategy still running?)");
            }
            deleteState(config.runDir().resolve("state"), "strategy-" + strategy + "-", out);
        }
        out.println("Reset " + applicationId + ". ./pipeline up --resume reprocesses every price; its orders keep their ids,"
                + " and order-execution does not execute an id twice.");
    }

    /** The launcher's Kafka login as a properties file (the Kafka tools take it so), readable by its owner alone. */
    private static Path clientConfigFile(StackConfig config) {
        Path file = config.runDir().resolve("security/kafka/launcher-client.properties");
        try {
            java.util.Properties properties = new java.util.Properties();
            config.kafkaClient().forEach((key, value) -> properties.setProperty(key, value.toString()));
            PrivateFiles.write(file, w -> properties.store(w, "the launcher's Kafka login (./pipeline reset)"));
            return file;
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteState(Path stateRoot, String prefix, PrintStream out) {
        if (!Files.isDirectory(stateRoot)) {
            return;
        }
        try (Stream<Path> instances = Files.list(stateRoot)) {
            for (Path dir : instances.filter(d -> d.getFileName().toString().startsWith(prefix)).toList()) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
                out.println("removed local state " + dir);
            }
        } catch (IOException e) {
            throw new StackException("cannot remove the local state in " + stateRoot + ": " + e.getMessage(), e);
        }
    }
}
