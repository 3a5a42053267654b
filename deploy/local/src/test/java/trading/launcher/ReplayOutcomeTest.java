package trading.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code ./pipeline replay} says and exits with, from the feed's last {@code GET /feed}. */
class ReplayOutcomeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String[] outcome(String status) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = Commands.replayOutcome(JSON.readTree(status), Path.of("logs/price-feed-replay.log"),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        return new String[]{Integer.toString(code), printed.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aWholeFileIsDoneWithItsSkippedLines() throws Exception {
        String[] done = outcome("""
                {"published": 2, "failed": 0, "actualRate": 100, "lastError": null,
                 "replay": {"total": 3, "rows": 2, "skippedLines": 1, "stoppedBy": null,
                            "skipped": ["line 3: price '1e20' or size '1' is too large"], "finished": true}}""");
        assertEquals("0", done[0]);
        assertTrue(done[1].startsWith("Replay done: 2 prices published"), done[1]);
        assertTrue(done[1].contains("skipped line 3: price '1e20'"), done[1]);
    }

    @Test
    void aReplayThatStoppedEarlyOrLostASendExitsNonZeroSayingWhy() throws Exception {
        String[] stopped = outcome("""
                {"published": 1, "failed": 0, "actualRate": 100, "lastError": "registry unreachable",
                 "replay": {"total": 3, "rows": 1, "skippedLines": 0, "stoppedBy": "registry unreachable",
                            "skipped": [], "finished": true}}""");
        assertEquals("1", stopped[0]);
        assertTrue(stopped[1].startsWith("Replay stopped: 1 prices published"), stopped[1]);
        assertTrue(stopped[1].contains("2 of 3 rows were not published (0 sends failed): registry unreachable"), stopped[1]);

        String[] lostSend = outcome("""
                {"published": 2, "failed": 1, "actualRate": 100, "lastError": "timed out",
                 "replay": {"total": 3, "rows": 3, "skippedLines": 0, "stoppedBy": null, "skipped": [], "finished": true}}""");
        assertEquals("1", lostSend[0], lostSend[1]);
        assertTrue(lostSend[1].contains("(1 sends failed): timed out"), lostSend[1]);
    }
}
