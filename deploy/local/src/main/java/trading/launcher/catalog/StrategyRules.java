package trading.launcher.catalog;

import trading.launcher.stack.StackException;
import trading.strategy.ConfiguredStrategy;
import trading.strategy.RuleParameters;
import trading.strategy.RuleType;
import trading.strategy.StrategyDefinition;
import trading.strategy.StrategyInfo;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The rules of the catalog's strategies, run in the launcher ({@code backtest}, {@code bench},
 * {@code chaos}'s reference) with the code the services run: each module's packaged classes
 * ({@code <module>/target/quarkus-app/app}), loaded beside the launcher's own strategy-support,
 * and its {@link RuleType} found as the service finds it. No module is named in the launcher's
 * build: a new strategy module needs no change here.
 */
public final class StrategyRules {

    private static final Map<Path, ClassLoader> LOADERS = new ConcurrentHashMap<>();

    private final Path home;

    public StrategyRules(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /** The rule type the entry names (or its module's only one). */
    public RuleType type(StrategyCatalog.Entry entry) {
        ClassLoader loader = loader(entry.module());
        try {
            if (entry.rule() != null) {
                return RuleType.find(entry.rule(), loader);
            }
            List<RuleType> types = RuleType.available(loader).stream()
                    .filter(type -> type.getClass().getClassLoader() == loader).toList();
            if (types.size() != 1) {
                throw new StackException(entry.file() + ": strategy.rule is needed, " + entry.module() + " has "
                        + types.size() + " rule types");
            }
            return types.get(0);
        } catch (IllegalArgumentException e) {
            throw new StackException(entry.file() + ": " + e.getMessage());
        }
    }

    public RuleParameters parameters(StrategyCatalog.Entry entry) {
        try {
            return RuleParameters.of(type(entry), entry.parameters());
        } catch (IllegalArgumentException e) {
            throw new StackException(entry.file() + ": " + e.getMessage());
        }
    }

    /** The entry as the service configures itself from it. */
    public ConfiguredStrategy configured(StrategyCatalog.Entry entry) {
        return new ConfiguredStrategy(entry.name(), type(entry), parameters(entry), new BigDecimal(entry.quantity()));
    }

    /** The strategy as the service runs it: its rule under its name, with its parameters and quantity (JVM strategies). */
    public StrategyDefinition<Object> definition(StrategyCatalog.Entry entry) {
        if (entry.external()) {
            throw new StackException("strategy " + entry.name() + " runs outside the JVM: run it by its module's "
                    + ExternalStrategy.RUN + " (ExternalStrategy)");
        }
        return configured(entry).definition();
    }

    /** What the service's {@code GET /strategy} answers for the entry (an external one says it itself). */
    public StrategyInfo info(StrategyCatalog.Entry entry) {
        return entry.external() ? ExternalStrategy.info(home, entry) : configured(entry).info();
    }

    private ClassLoader loader(String module) {
        Path app = home.resolve(module).resolve("target/quarkus-app/app");
        return LOADERS.computeIfAbsent(app, dir -> {
            if (!Files.isDirectory(dir)) {
                throw new StackException(dir + " is missing: build first (./mvnw package -DskipTests, which ./pipeline does for you)");
            }
            try (Stream<Path> jars = Files.list(dir)) {
                URL[] urls = jars.filter(p -> p.toString().endsWith(".jar")).map(StrategyRules::url).toArray(URL[]::new);
                return new ModuleFirst("rules of " + module, urls, StrategyRules.class.getClassLoader());
            } catch (IOException e) {
                throw new StackException("cannot read " + dir + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Finds the module's own classes in its jar before asking the launcher's class path: its jar
     * holds only its own classes (strategy-support and the contracts come from the launcher, shared),
     * and an older copy of a module left on the launcher's class path must not shadow the built one.
     */
    private static final class ModuleFirst extends URLClassLoader {
        ModuleFirst(String name, URL[] urls, ClassLoader parent) {
            super(name, urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null && !name.startsWith("java.")) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notOurs) {
                        loaded = null;
                    }
                }
                if (loaded == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
