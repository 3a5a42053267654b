package trading.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import trading.feed.replay.PriceFile;
import trading.launcher.backtest.Backtest;
import trading.launcher.catalog.Deployments;
import trading.launcher.catalog.NewStrategy;
import trading.launcher.catalog.StrategyCatalog;
import trading.launcher.catalog.StrategyRules;
import trading.launcher.stack.StackException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./pipeline new-strategy}: in a copy of the project (the root pom, the catalog, the
 * deployment files and the modules a strategy builds on), make a strategy from the template, build
 * it with Maven and run its tests, then run its packaged rule in a backtest beside the others.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NewStrategyIT {

    private static final Path HOME = Path.of(System.getProperty("pipeline.home", "../..")).toAbsolutePath().normalize();

    @Test
    void aNewStrategyFromTheTemplateBuildsPassesItsTestsAndTradesInABacktest(@TempDir Path project) throws Exception {
        copyProject(project);
        NewStrategy.Made made = NewStrategy.create(project, "breakout");

        StrategyCatalog catalog = StrategyCatalog.load(project);
        assertTrue(catalog.names().contains("breakout"), catalog.names().toString());
        StrategyCatalog.Entry entry = catalog.get("breakout");
        assertTrue(catalog.entries().stream().filter(e -> e != entry).noneMatch(e -> e.httpPort() == entry.httpPort()),
                "a port of its own: " + entry.httpPort());
        assertEquals(List.of(), new Deployments(project, catalog).drift(), "its deployment files were generated");
        assertTrue(Files.readString(project.resolve("docker-compose.yml")).contains("strategy-breakout:"));
        assertTrue(Files.exists(project.resolve("deploy/k8s/base/strategies/breakout.yaml")));
        assertTrue(Files.readString(project.resolve("pom.xml")).contains("<module>strategy-breakout</module>"));
        StackException twice = assertThrows(StackException.class, () -> NewStrategy.create(project, "breakout"));
        assertTrue(twice.getMessage().contains("already has a strategy breakout"), twice.getMessage());
        assertThrows(StackException.class, () -> NewStrategy.create(project, "Bad Name"));

        // build the new module (and the modules it needs) with Maven, offline, running only its tests
        Path log = project.resolve("build.log");
        Process build = new ProcessBuilder(HOME.resolve("mvnw").toString(), "-o", "-B", "-ntp", "package",
                "-pl", "strategy-breakout", "-am", "-Dtest=Breakout*", "-Dsurefire.failIfNoSpecifiedTests=false",
                "-Dquarkus.test.continuous-testing=disabled")
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(build.waitFor(8, TimeUnit.MINUTES), "the build finished");
        String output = Files.readString(log);
        assertEquals(0, build.exitValue(), "the generated module builds: " + tail(output));
        Matcher run = Pattern.compile("Tests run: (\\d+), Failures: 0, Errors: 0, Skipped: 0, Time elapsed: [^\\n]+ in "
                + "trading\\.strategy\\.breakout\\.Breakout(Rule|Topology)Test").matcher(output);
        int suites = 0;
        int tests = 0;
        while (run.find()) {
            suites++;
            tests += Integer.parseInt(run.group(1));
        }
        assertEquals(2, suites, "its rule test and its topology test ran and passed: " + tail(output));
        assertTrue(tests >= 4, tests + " tests");
        assertTrue(Files.exists(made.module().resolve("target/quarkus-app/quarkus-run.jar")), "packaged as a service");

        // its packaged rule, found as the launcher finds every rule, trades in a backtest beside abc's
        Path prices = ReplayFiles.write(project.resolve("prices.csv"), List.of("AAA", "BBB"), 600, 5);
        StrategyRules rules = new StrategyRules(project);
        assertEquals("breakout", rules.info(entry).rule());
        Backtest.Result result = Backtest.run(PriceFile.open(prices),
                List.of(Backtest.Strategy.of(rules.definition(entry)),
                        Backtest.Strategy.of(new StrategyRules(HOME).definition(StrategyCatalog.load(HOME).get("abc")))), null);
        long breakout = result.orders().stream().filter(o -> o.strategy().equals("breakout")).count();
        assertTrue(breakout > 0, "the template's rule trades: " + result.orders().size() + " orders in all");
    }

    /** What a strategy module builds on, without any build output. */
    private static void copyProject(Path project) throws IOException {
        for (String path : List.of("pom.xml", "docker-compose.yml", "Dockerfile", "deploy/compose/prometheus.yml",
                "deploy/k8s", "strategies", "common-schema", "service-support", "strategy-support", "strategy-abc")) {
            copy(HOME.resolve(path), project.resolve(path));
        }
        // the copy builds only what a strategy needs
        String pom = Files.readString(project.resolve("pom.xml"));
        pom = pom.replaceAll("(?s)<modules>.*</modules>", "<modules>\n    <module>common-schema</module>\n"
                + "    <module>service-support</module>\n    <module>strategy-support</module>\n"
                + "    <module>strategy-abc</module>\n  </modules>");
        Files.writeString(project.resolve("pom.xml"), pom);
        // the catalog's other modules are not in the copy: keep the entries whose module is
        try (Stream<Path> entries = Files.list(project.resolve("strategies"))) {
            for (Path entry : entries.toList()) {
                if (!Files.readString(entry).contains("strategy.module=strategy-abc")) {
                    Files.delete(entry);
                }
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path relative = from.relativize(file);
                if (relative.toString().startsWith("target") || relative.toString().contains("/target/")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }
}
