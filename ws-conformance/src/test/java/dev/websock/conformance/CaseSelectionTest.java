package dev.websock.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaseSelectionTest {

    @Test
    void starMatchesAnyRunOfCharactersAndDotsAreLiteral() {
        CaseSelection s = CaseSelection.of("1.*,6.2.4", null);
        assertTrue(s.matches("1.1.1"));
        assertTrue(s.matches("1.2.8"));
        assertTrue(s.matches("6.2.4"));
        assertFalse(s.matches("6.2.40"));
        assertFalse(s.matches("10.1.1"));
        assertFalse(s.matches("6x2x4"));
    }

    @Test
    void excludeWinsOverInclude() {
        CaseSelection s = CaseSelection.of("*", "9.*, 12.*");
        assertTrue(s.matches("7.9.1"));
        assertFalse(s.matches("9.1.1"));
        assertFalse(s.matches("12.5.18"));
        assertTrue(s.matches("13.1.1"));
    }

    @Test
    void blankIncludeMeansEveryCase() {
        assertTrue(CaseSelection.of(" ", "").matches("13.7.18"));
    }

    @Test
    void rejectsPatternsThatAreNotCaseNumbers() {
        assertThrows(IllegalArgumentException.class, () -> CaseSelection.of("1.[1-3]", null));
    }

    @Test
    void theRunnerSelectsInCaseNumberOrder() {
        List<String> ids = ConformanceRunner.builder(URI.create("ws://127.0.0.1:1/")).cases("1.1.*,10.*,9.7.1,2.1*")
                .build().selectedCases();
        assertEquals(List.of("1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6", "1.1.7", "1.1.8", "2.1", "2.10",
                "2.11", "9.7.1", "10.1.1"), ids);
    }
}
