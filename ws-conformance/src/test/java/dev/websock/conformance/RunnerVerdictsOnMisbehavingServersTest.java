package dev.websock.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.conformance.reference.MisbehavingServer;
import dev.websock.conformance.reference.MisbehavingServer.Mode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The runner notices each way a server can get closing wrong, and a hanging server costs bounded time. */
class RunnerVerdictsOnMisbehavingServersTest {

    private static CaseResult run(MisbehavingServer server, String id) {
        RunReport report = ConformanceRunner.builder(server.uri()).cases(id).reducedLimits(true).build().run();
        assertEquals(1, report.cases().size());
        return report.cases().getFirst();
    }

    @Test
    void case_1_1_1_aServerThatLeavesTcpOpenAfterTheClosingHandshakeIsUnclean() throws Exception {
        try (MisbehavingServer server = new MisbehavingServer(Mode.KEEPS_TCP_OPEN)) {
            CaseResult r = run(server, "1.1.1");
            assertEquals(Verdict.OK, r.verdict(), r.note());
            assertEquals("UNCLEAN", r.outcome());
            assertFalse(r.passed());
            assertTrue(r.closing().serverRepliedToClose());
            assertFalse(r.closing().serverClosedTcp());
            assertTrue(r.closing().runnerDroppedTcp());
            assertTrue(r.closing().note().contains("§7.1.1"), r.closing().note());
        }
    }

    @Test
    void case_3_1_aServerThatFailsByDroppingTcpWithoutACloseFrameIsUnclean() throws Exception {
        try (MisbehavingServer server = new MisbehavingServer(Mode.DROPS_WITHOUT_CLOSE)) {
            CaseResult r = run(server, "3.1");
            assertEquals(Verdict.OK, r.verdict(), r.note());
            assertEquals("UNCLEAN", r.outcome());
            assertFalse(r.closing().serverSentClose());
            assertTrue(r.closing().serverClosedTcp());
            assertTrue(r.closing().note().contains("§7.1.7"), r.closing().note());
        }
    }

    @Test
    void case_2_1_aSilentServerFailsTheCaseWithinItsTimeout() throws Exception {
        try (MisbehavingServer server = new MisbehavingServer(Mode.SILENT)) {
            CaseResult r = run(server, "2.1");
            assertEquals("FAILED", r.outcome());
            assertEquals(ClosingVerdict.UNCLEAN, r.closing().verdict());
            assertTrue(r.duration().compareTo(Duration.ofSeconds(10)) < 0, r.duration().toString());
        }
    }
}
