package trading.launcher;

import trading.feed.SimulatedMarket;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a price file from the simulated market: interleaved tickers, one row per price. */
final class ReplayFiles {

    private ReplayFiles() {
    }

    static Path write(Path file, List<String> tickers, int pricesPerTicker, long seed) throws IOException {
        SimulatedMarket market = new SimulatedMarket(tickers, seed, 0.004);
        long start = 1_700_000_000_000L;
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("timestamp,ticker,price,size\n");
            for (int i = 0; i < tickers.size() * pricesPerTicker; i++) {
                SimulatedMarket.Quote quote = market.next();
                out.write((start + 250L * i) + "," + quote.ticker() + "," + quote.price().toPlainString() + ","
                        + quote.size().toPlainString() + "\n");
            }
        }
        return file;
    }
}
