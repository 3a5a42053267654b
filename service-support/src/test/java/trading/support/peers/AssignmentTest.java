package trading.support.peers;

import jakarta.ws.rs.BadRequestException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssignmentTest {

    @Test
    void partitionsTravelAsASortedListAndComeBackTheSame() {
        String value = Assignment.format(Set.of(7, 0, 11, 3));
        assertEquals("0,3,7,11", value);
        assertEquals(Set.of(0, 3, 7, 11), Assignment.parse(value));
        assertEquals(Set.of(4), Assignment.parse(" 4 "));
    }

    @Test
    void noListMeansTheInstancesOwnAssignment() {
        assertNull(Assignment.parse(null));
    }

    @Test
    void aMalformedListIsA400ThatQuotesIt() {
        for (String bad : new String[]{"", "1,,2", "a", "-1", "1;2", "99999999999"}) {
            BadRequestException refused = assertThrows(BadRequestException.class, () -> Assignment.parse(bad), bad);
            assertTrue(refused.getMessage().contains("'" + bad + "'"), refused.getMessage());
        }
    }
}
