package dev.websock.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.conformance.CaseResult;
import dev.websock.conformance.ClosingBehaviour;
import dev.websock.conformance.ClosingVerdict;
import dev.websock.conformance.RunReport;
import dev.websock.conformance.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWritingTest {

    private static CaseResult result(String id, Verdict verdict, ClosingVerdict closing, String note) {
        ClosingBehaviour cl = new ClosingBehaviour(closing, "closing note", true, true, true, closing == ClosingVerdict.OK,
                false, 1000, 1000, "", closing == ClosingVerdict.OK);
        return new CaseResult(id, "sends \"quotes\" and <tags>\n", "echo", verdict, note, List.of("OK: []"), List.of(),
                cl, List.of("   1.000 ms TX TEXT"), null, Duration.ofMillis(3));
    }

    private static RunReport report() {
        return new RunReport("ws://127.0.0.1:1/echo", Instant.EPOCH, Duration.ofMillis(10), true,
                List.of(result("1.1.1", Verdict.OK, ClosingVerdict.OK, "fine"),
                        result("6.2.4", Verdict.OK, ClosingVerdict.UNCLEAN, "echo was right"),
                        result("6.4.3", Verdict.NON_STRICT, ClosingVerdict.OK, "late")), null);
    }

    @Test
    void theOutcomeIsTheClosingVerdictWhenOnlyTheClosingWasWrong() {
        RunReport r = report();
        assertEquals("OK", r.cases().get(0).outcome());
        assertEquals("UNCLEAN", r.cases().get(1).outcome());
        assertEquals("NON-STRICT", r.cases().get(2).outcome());
        assertEquals(List.of("6.2.4", "6.4.3"), r.notPassed().stream().map(CaseResult::id).toList());
        assertEquals(java.util.Map.of("1", java.util.Map.of("OK", 1), "6", java.util.Map.of("UNCLEAN", 1, "NON-STRICT", 1)),
                r.countsByCategory());
    }

    @Test
    void jsonEscapesStringsAndCarriesTheClosingBehaviour() {
        String json = JsonReport.toJson(report());
        assertTrue(json.contains("\"description\": \"sends \\\"quotes\\\" and <tags>\\n\""), json);
        assertTrue(json.contains("\"serverClosedTcp\": false"), json);
        assertTrue(json.contains("\"6\": {\"NON-STRICT\": 1, \"UNCLEAN\": 1}"), json);
        assertTrue(json.contains("\"allPassed\": false"));
        assertEquals(Json.string("a\u0001b"), "\"a\\u0001b\"");
    }

    @Test
    void htmlHasAnIndexAndOnePagePerCase(@TempDir Path dir) throws Exception {
        HtmlReport.write(report(), dir);
        String index = Files.readString(dir.resolve("index.html"));
        assertTrue(index.contains("<a href=\"cases/case_6_2_4.html\">6.2.4</a>"), index);
        assertTrue(index.contains("class=\"UNCLEAN\""), index);
        String page = Files.readString(dir.resolve("cases/case_6_2_4.html"));
        assertTrue(page.contains("sends &quot;quotes&quot; and &lt;tags&gt;"), page);
        assertTrue(page.contains("serverClosedTcp"), page);
        assertTrue(page.contains("TX TEXT"), page);
    }
}
