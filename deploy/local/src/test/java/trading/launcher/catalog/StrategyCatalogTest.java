package trading.launcher.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trading.launcher.stack.StackException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog as the project has it, and what a bad entry is told. */
class StrategyCatalogTest {

    private static final Path HOME = Path.of(System.getProperty("pipeline.home", "../..")).toAbsolutePath().normalize();

    @Test
    void theProjectsCatalogHoldsItsStrategiesOneReusedByConfigurationOneOutsideTheJvm() {
        StrategyCatalog catalog = StrategyCatalog.load(HOME);
        assertEquals(List.of("abc", "abc-slow", "qrs", "xyz"), catalog.names());
        assertTrue(catalog.get("qrs").external(), "qrs runs outside the JVM");
        assertFalse(catalog.get("abc").external());
        StrategyCatalog.Entry slow = catalog.get("abc-slow");
        assertEquals(catalog.get("abc").module(), slow.module(), "the same module, no code of its own");
        assertEquals("trading-strategy.abc-slow", slow.applicationId());
        assertEquals(Map.of("fast", "10", "slow", "50"), slow.parameters());
        assertEquals("STRATEGY_PARAM_FAST", slow.environment().keySet().stream().filter(k -> k.contains("FAST")).findFirst().orElseThrow());
        // both ways to exactly once run side by side: abc-slow keeps transactions, abc takes the default
        assertFalse(slow.idempotent());
        assertEquals("transactional", slow.properties().get("strategy.processing"));
        assertTrue(catalog.get("abc").idempotent());
        assertFalse(catalog.get("abc").properties().containsKey("strategy.processing"), "the services' default");
        assertFalse(catalog.get("qrs").idempotent(), "qrs writes with transactions of its own");
    }

    @Test
    void theLaunchersDefaultProcessingIsTheServices() throws IOException {
        var settings = new java.util.Properties();
        try (var in = Files.newBufferedReader(HOME.resolve("strategy-support/src/main/resources/META-INF/microprofile-config.properties"))) {
            settings.load(in);
        }
        assertEquals(settings.getProperty("strategy.processing"), StrategyCatalog.Entry.DEFAULT_PROCESSING);
    }

    @Test
    void theGeneratedDeploymentFilesMatchTheCatalog() {
        List<String> drift = new Deployments(HOME, StrategyCatalog.load(HOME)).drift();
        assertEquals(List.of(), drift, "these files differ from what the catalog (strategies/) makes: run ./pipeline generate");
    }

    @Test
    void theRulesAreFoundInTheModulesPackagedAppsWithTheirEffectiveValues() {
        StrategyRules rules = new StrategyRules(HOME);
        StrategyCatalog catalog = StrategyCatalog.load(HOME);
        var slow = rules.info(catalog.get("abc-slow"));
        assertEquals("sma-crossover", slow.rule());
        assertEquals(0, slow.parameters().get("fast").compareTo(java.math.BigDecimal.TEN));
        assertEquals(List.of("SMA 10", "SMA 50"), slow.indicators().stream().map(p -> p.label()).toList());
        assertEquals("abc-slow", rules.definition(catalog.get("abc-slow")).name(), "the name its orders carry");
        // an external strategy says it itself (its module's run info), in the same shape
        var qrs = rules.info(catalog.get("qrs"));
        assertEquals("bollinger-reversion", qrs.rule());
        assertEquals(Map.of("window", new java.math.BigDecimal("20"), "k", new java.math.BigDecimal("2")), qrs.parameters());
        assertEquals(List.of("middle", "upper", "lower"), qrs.indicators().stream().map(p -> p.name()).toList());
        assertEquals("trading-strategy.qrs", qrs.applicationId());
        StackException unknown = assertThrows(StackException.class,
                () -> rules.info(catalog.get("qrs").withParameters(Map.of("windw", "3"))));
        assertTrue(unknown.getMessage().contains("no parameter windw") && !unknown.getMessage().contains("\n"), unknown.getMessage());
        var xyz = rules.info(catalog.get("xyz"));
        assertEquals("oscillator", xyz.indicators().get(0).panel());
        assertEquals(2, xyz.indicators().get(0).bands().size());
        StackException typo = assertThrows(StackException.class,
                () -> rules.definition(catalog.get("abc").withParameters(Map.of("fats", "3"))));
        assertTrue(typo.getMessage().contains("no parameter 'fats'"), typo.getMessage());
    }

    @Test
    void aBadEntryStopsWithOneLineNamingItsFile(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("strategies"));
        Files.createDirectories(home.resolve("strategy-abc"));
        Path file = home.resolve("strategies/fast.properties");
        String good = "strategy.name=fast\nstrategy.module=strategy-abc\nstrategy.http-port=8091\n";
        Files.writeString(file, good);
        assertEquals(List.of("fast"), StrategyCatalog.load(home).names());

        for (var bad : Map.of(
                good.replace("name=fast", "name=Fast!"), "strategy.name must be lower-case",
                good.replace("strategy-abc", "strategy-nope"), "is not a module of this project",
                good.replace("8091", "eighty"), "must be a port number",
                good + "strategy.paramfast=3\n", "unknown key 'strategy.paramfast'",
                good + "strategy.quantity=-1\n", "must be a positive number",
                good.replace("strategy.http-port=8091\n", ""), "strategy.http-port is missing",
                good + "strategy.runtime=node\n", "strategy.runtime must be java or external",
                good + "strategy.processing=fast\n", "strategy.processing must be idempotent or transactional",
                good + "strategy.runtime=external\n", "needs an executable strategy-abc/run").entrySet()) {
            Files.writeString(file, bad.getKey());
            StackException e = assertThrows(StackException.class, () -> StrategyCatalog.load(home), bad.getKey());
            assertTrue(e.getMessage().contains(bad.getValue()) && e.getMessage().contains(file.toString())
                    && !e.getMessage().contains("\n"), e.getMessage());
        }
        Files.writeString(file, good);
        Files.writeString(home.resolve("strategies/other.properties"), good.replace("name=fast", "name=other"));
        StackException clash = assertThrows(StackException.class, () -> StrategyCatalog.load(home));
        assertTrue(clash.getMessage().contains("both ask for HTTP port 8091"), clash.getMessage());
    }
}
