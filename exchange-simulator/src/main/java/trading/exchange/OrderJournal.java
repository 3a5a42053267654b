package trading.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exchange's memory across restarts: every change of an order appended as one JSON line
 * before the exchange answers. It is written, not forced to disk: a killed exchange process loses
 * nothing (the operating system still holds the write); surviving a power cut would need an fsync
 * per change, which on this kind of disk limits a simulator to a few dozen orders a second. Reading it back keeps the last line per ClOrdID, so
 * a restarted exchange still knows every order it accepted and answers status requests for them.
 */
public final class OrderJournal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OrderJournal.class);

    private final ObjectMapper json;
    private final FileChannel channel;

    private OrderJournal(ObjectMapper json, FileChannel channel) {
        this.json = json;
        this.channel = channel;
    }

    public static OrderJournal open(Path file, ObjectMapper json) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new OrderJournal(json, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    /**
     * The orders the file describes, each in its latest state, in the order they first arrived.
     * A last line cut short (a crash, or a full disk, while writing it: that change was never
     * answered) is cut off the file, with a log line, so that the next change starts a line of its
     * own instead of completing the torn one into a line no later start could read.
     *
     * @throws IOException if a line before the last is not an order: that is damage, not a torn write
     */
    public static Collection<SimulatedOrder> recover(Path file, ObjectMapper json) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        Map<String, SimulatedOrder> orders = new LinkedHashMap<>();
        byte[] content = Files.readAllBytes(file);
        int whole = 0; // bytes of whole, readable lines
        int lineNumber = 0;
        while (whole < content.length) {
            int end = whole;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            lineNumber++;
            if (end == content.length) {
                break; // no newline: torn
            }
            String line = new String(content, whole, end - whole, StandardCharsets.UTF_8);
            if (!line.isBlank()) {
                try {
                    SimulatedOrder order = json.readValue(line, SimulatedOrder.class);
                    orders.put(order.clOrdId(), order);
                } catch (IOException e) {
                    if (!restIsBlank(content, end + 1)) {
                        throw new IOException(file + " line " + lineNumber + " is not an order: " + e.getMessage(), e);
                    }
                    break; // the last line, written in part (a full disk can leave zeros): torn
                }
            }
            whole = end + 1;
        }
        if (whole < content.length) {
            LOG.warnf("%s: line %d was cut short while being written (%d bytes); it is removed, the %d orders before it are kept",
                    file, lineNumber, content.length - whole, orders.size());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(whole);
                channel.force(true);
            }
        }
        return orders.values();
    }

    private static boolean restIsBlank(byte[] content, int from) {
        for (int i = from; i < content.length; i++) {
            if (!Character.isWhitespace(content[i]) && content[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends the order's line whole, or not at all: a write that fails part way (a full disk) is
     * cut back off, so that the file still ends with a whole line when the disk has room again.
     */
    public synchronized void append(SimulatedOrder order) {
        long before = -1;
        try {
            byte[] line = (json.writeValueAsString(order) + "\n").getBytes(StandardCharsets.UTF_8);
            before = channel.size();
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            if (before >= 0) {
                try {
                    channel.truncate(before);
                } catch (IOException again) {
                    e.addSuppressed(again); // the next start cuts the torn line off (recover)
                }
            }
            throw new UncheckedIOException("could not journal order " + order.clOrdId(), e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
