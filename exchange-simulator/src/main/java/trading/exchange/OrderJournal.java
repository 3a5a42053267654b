package trading.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;

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

    /** The orders the file describes, each in its latest state, in the order they first arrived. */
    public static Collection<SimulatedOrder> read(Path file, ObjectMapper json) throws IOException {
        Map<String, SimulatedOrder> orders = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                SimulatedOrder order = json.readValue(line, SimulatedOrder.class);
                orders.put(order.clOrdId(), order);
            } catch (IOException e) {
                if (i == lines.size() - 1) {
                    break; // a line cut short by a crash while writing it: that change was never answered
                }
                throw new IOException(file + " line " + (i + 1) + " is not an order: " + e.getMessage(), e);
            }
        }
        return orders.values();
    }

    public synchronized void append(SimulatedOrder order) {
        try {
            byte[] line = (json.writeValueAsString(order) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not journal order " + order.clOrdId(), e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
