package trading.launcher.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import trading.launcher.stack.StackException;
import trading.strategy.StrategyInfo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A strategy outside the JVM ({@code strategy.runtime=external}), in any language: its module holds
 * an executable {@code run} that takes a verb, with the catalog entry as environment variables
 * (STRATEGY_NAME, STRATEGY_PARAM_*, ...; the same ones compose and Kubernetes set):
 * <ul>
 *   <li>{@code run run}: the live service (Kafka, HTTP), as the launcher starts every instance;</li>
 *   <li>{@code run decide}: the backtest's per-price step: a tick per line on standard input
 *       ({@code ticker,price,source,sequence,eventTimeMillis}), one answer per line on standard output
 *       ({@code -}, or {@code SIDE,orderId});</li>
 *   <li>{@code run info}: what its {@code GET /strategy} answers, as JSON.</li>
 * </ul>
 */
public final class ExternalStrategy {

    /** The script in the module's folder. */
    public static final String RUN = "run";
    /**
     * The module's optional script that makes, once per machine, what {@code run} needs besides the
     * project's build (Debian packages, a native library); it returns at once when all is there.
     */
    public static final String PREPARE = "prepare";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ExternalStrategy() {
    }

    /** The command that runs {@code verb} of the entry's module. */
    public static List<String> command(Path home, StrategyCatalog.Entry entry, String verb) {
        return List.of(home.resolve(entry.module()).resolve(RUN).toAbsolutePath().toString(), verb);
    }

    /**
     * Runs the module's {@code prepare}, if it has one, passing each line it prints to {@code lines};
     * empty when the module is ready to run, else the one-line reason (its last line) it is not.
     */
    public static Optional<String> prepare(Path home, String module, Consumer<String> lines) {
        Path script = home.resolve(module).resolve(PREPARE);
        if (!Files.isExecutable(script)) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(script.toAbsolutePath().toString()).directory(home.resolve(module).toFile())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String last = "";
            try (BufferedReader said = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line = said.readLine(); line != null; line = said.readLine()) {
                    if (!line.isBlank()) {
                        last = line.strip();
                        lines.accept(line);
                    }
                }
            }
            int code = process.waitFor();
            return code == 0 ? Optional.empty()
                    : Optional.of(last.isEmpty() ? module + "/" + PREPARE + " failed (exit " + code + ")" : last);
        } catch (IOException e) {
            return Optional.of("cannot run " + module + "/" + PREPARE + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while preparing " + module);
        }
    }

    /** A process of the entry's module for {@code verb}, configured by the entry; standard error inherited. */
    public static ProcessBuilder process(Path home, StrategyCatalog.Entry entry, String verb) {
        ProcessBuilder builder = new ProcessBuilder(command(home, entry, verb))
                .directory(home.resolve(entry.module()).toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = builder.environment();
        env.putAll(entry.environment());
        return builder;
    }

    /** What the strategy's {@code GET /strategy} answers, from {@code run info}; a one-line reason if it cannot tell. */
    public static StrategyInfo info(Path home, StrategyCatalog.Entry entry) {
        try {
            Process process = process(home, entry, "info").redirectError(ProcessBuilder.Redirect.PIPE).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new StackException(entry.file() + ": " + (err.isEmpty() ? entry.module() + "/run info failed"
                        : err.lines().reduce((a, b) -> b).orElse(err)));
            }
            return JSON.readValue(out, StrategyInfo.class);
        } catch (IOException e) {
            throw new StackException("cannot run " + entry.module() + "/" + RUN + " info: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }
}
