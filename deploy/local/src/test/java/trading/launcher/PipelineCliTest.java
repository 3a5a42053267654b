package trading.launcher;

import org.junit.jupiter.api.Test;
import trading.launcher.stack.StackConfig;
import trading.launcher.stack.StackException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineCliTest {

    @Test
    void theStackListensOnThisMachineOnlyUnlessToldOtherwise() {
        assertEquals(StackConfig.LOOPBACK, PipelineCli.parse(new String[]{"up"}).stack().listen());
        assertEquals("0.0.0.0", PipelineCli.parse(new String[]{"up", "--listen", "0.0.0.0"}).stack().listen());
        assertEquals("127.0.0.1", PipelineCli.parse(new String[]{"chaos", "--listen", "127.0.0.1"}).stack().listen());
    }

    @Test
    void aListenAddressMustBeAnAddressOfThisMachine() {
        StackException name = assertThrows(StackException.class, () -> PipelineCli.parse(new String[]{"up", "--listen", "example.com"}));
        assertEquals("--listen must be an IP address such as 0.0.0.0 or 192.168.1.20, was 'example.com'", name.getMessage());
        StackException elsewhere = assertThrows(StackException.class, () -> PipelineCli.parse(new String[]{"up", "--listen", "192.0.2.1"}));
        assertTrue(elsewhere.getMessage().endsWith("is not an address of this machine"), elsewhere.getMessage());
    }
}
