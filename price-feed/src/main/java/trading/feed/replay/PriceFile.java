package trading.feed.replay;

import trading.schema.Decimals;
import trading.schema.Texts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * A CSV file of historical prices: a header line, then {@code timestamp,ticker,price,size}. The
 * timestamp is epoch milliseconds or ISO-8601 (with an offset or {@code Z}); price and size are
 * decimals, kept exactly as written. Tickers may be interleaved; each ticker's prices are numbered
 * 1, 2, 3 ... in file order. A line that cannot be read is reported (with its number) and skipped.
 *
 * <p>Read lazily, one line at a time, so files of any size can be replayed.
 */
public final class PriceFile {

    /** Digits a price or size may have after the point: what the wire keeps. */
    public static final int MAX_SCALE = Decimals.WIRE_SCALE;

    /** One usable line. */
    public record Row(long lineNumber, Instant timestamp, String ticker, BigDecimal price, BigDecimal size, long sequence) {
    }

    /** A line that was skipped, and why. */
    public record BadLine(long lineNumber, String reason) {
    }

    private final Path path;
    private String source;

    private PriceFile(Path path) {
        this.path = path;
    }

    /**
     * @throws ReplayException if the file is missing, unreadable, or has no header line
     */
    public static PriceFile open(Path path) {
        if (!Files.exists(path)) {
            throw new ReplayException("no such file: " + path);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ReplayException("cannot read " + path + " (not a readable file)");
        }
        return new PriceFile(path);
    }

    public Path path() {
        return path;
    }

    /**
     * The source stamped on every price of this file: {@code replay:<file name>@<content digest>}.
     * Strategies skip a (source, sequence) they have applied, so the same file replayed twice is
     * applied once; the digest (the first 12 hex digits of the content's SHA-256) makes a different
     * file with the same name a new source rather than one already played.
     */
    public String source() {
        if (source == null) {
            source = "replay:" + path.getFileName() + "@" + digest();
        }
        return source;
    }

    private String digest() {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha256.digest(), 0, 6);
        } catch (IOException e) {
            throw new ReplayException("cannot read " + path + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Lines after the header that are not blank: the rows to expect, for progress and time left. */
    public long countLines() {
        try (var lines = Files.lines(path)) {
            return Math.max(0, lines.filter(line -> !line.isBlank()).count() - 1);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ReplayException("cannot read " + path + ": " + e.getMessage());
        }
    }

    /** Reads every line; usable rows go to {@code rows}, skipped lines to {@code bad}. Returns the counts. */
    public Counts read(Consumer<Row> rows, Consumer<BadLine> bad) {
        long good = 0;
        long skipped = 0;
        try (Rows it = rows()) {
            while (it.hasNext()) {
                Object next = it.nextItem();
                if (next instanceof Row row) {
                    rows.accept(row);
                    good++;
                } else {
                    bad.accept((BadLine) next);
                    skipped++;
                }
            }
        }
        return new Counts(good, skipped);
    }

    /** How many rows were read and how many lines skipped. */
    public record Counts(long rows, long skipped) {
    }

    /** Rows and bad lines in file order. Close it when done. */
    public Rows rows() {
        try {
            return new Rows(Files.newBufferedReader(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ReplayException("no such file: " + path);
        } catch (IOException e) {
            throw new ReplayException("cannot read " + path + ": " + e.getMessage());
        }
    }

    /** Iterates the lines as {@link Row} or {@link BadLine}. */
    public final class Rows implements Iterator<Object>, AutoCloseable {
        private final BufferedReader reader;
        private final Map<String, Long> sequences = new HashMap<>();
        private long lineNumber;
        private String nextLine;
        private boolean headerRead;

        Rows(BufferedReader reader) {
            this.reader = reader;
        }

        @Override
        public boolean hasNext() {
            if (nextLine != null) {
                return true;
            }
            try {
                if (!headerRead) {
                    headerRead = true;
                    String header = reader.readLine();
                    lineNumber++;
                    if (header == null) {
                        throw new ReplayException(path + " is empty: it needs a header line timestamp,ticker,price,size");
                    }
                    String normalized = header.replace("\uFEFF", "").replace(" ", "").toLowerCase();
                    if (!normalized.equals("timestamp,ticker,price,size")) {
                        throw new ReplayException(path + ": the first line must be the header timestamp,ticker,price,size, was '" + header + "'");
                    }
                }
                String line;
                do {
                    line = reader.readLine();
                    lineNumber++;
                } while (line != null && line.isBlank());
                nextLine = line;
                return line != null;
            } catch (IOException e) {
                throw new ReplayException("cannot read " + path + " at line " + lineNumber + ": " + e.getMessage());
            }
        }

        @Override
        public Object next() {
            return nextItem();
        }

        /** The next {@link Row} or {@link BadLine}. */
        public Object nextItem() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String line = nextLine;
            nextLine = null;
            return parse(line, lineNumber);
        }

        private Object parse(String line, long number) {
            String[] fields = line.split(",", -1);
            if (fields.length != 4) {
                return new BadLine(number, "expected 4 fields (timestamp,ticker,price,size), found " + fields.length);
            }
            Instant timestamp;
            try {
                timestamp = timestamp(fields[0].trim());
            } catch (DateTimeParseException | NumberFormatException e) {
                return new BadLine(number, "timestamp '" + fields[0].trim() + "' is neither epoch milliseconds nor ISO-8601");
            }
            String ticker = fields[1].trim();
            if (ticker.isEmpty() || !ticker.matches("[A-Za-z0-9._:-]{1,32}")) {
                return new BadLine(number, "ticker '" + ticker + "' must be 1 to 32 letters, digits or . _ : -");
            }
            BigDecimal price;
            BigDecimal size;
            try {
                price = new BigDecimal(fields[2].trim());
                size = new BigDecimal(fields[3].trim());
            } catch (NumberFormatException e) {
                return new BadLine(number, "price '" + fields[2].trim() + "' or size '" + fields[3].trim() + "' is not a decimal number");
            }
            if (price.signum() <= 0) {
                return new BadLine(number, "price must be positive, was " + fields[2].trim());
            }
            if (size.signum() < 0) {
                return new BadLine(number, "size must not be negative, was " + fields[3].trim());
            }
            // Before any scale change: 1e999999999 is a valid BigDecimal whose expansion fills the heap.
            if (!Decimals.fitsWire(price) || !Decimals.fitsWire(size)) {
                return new BadLine(number, "price '" + Texts.clip(fields[2].trim(), 30) + "' or size '" + Texts.clip(fields[3].trim(), 30)
                        + "' is too large: the wire keeps " + Decimals.WIRE_INTEGER_DIGITS + " digits before the point");
            }
            if (price.stripTrailingZeros().scale() > MAX_SCALE || size.stripTrailingZeros().scale() > MAX_SCALE) {
                return new BadLine(number, "more than " + MAX_SCALE + " decimal places: the wire keeps " + MAX_SCALE);
            }
            long sequence = sequences.merge(ticker, 1L, Long::sum);
            return new Row(number, timestamp, ticker, price, size, sequence);
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                // nothing to do: the file was only read
            }
        }
    }

    static Instant timestamp(String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.parse(text);
        }
    }
}
