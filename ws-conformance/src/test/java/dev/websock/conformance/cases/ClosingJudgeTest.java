package dev.websock.conformance.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.conformance.ClosingBehaviour;
import dev.websock.conformance.ClosingVerdict;
import dev.websock.conformance.client.Connection.ClosingState;
import org.junit.jupiter.api.Test;

/** The closing verdicts, including the runner's stricter bar on failing a connection (RFC 6455 §7.1.7). */
class ClosingJudgeTest {

    private static ClosingState runnerClosed(Integer serverCode, boolean serverClosedTcp) {
        ClosingState s = new ClosingState();
        s.runnerSentClose = true;
        s.runnerClosedFirst = true;
        s.runnerCloseCode = 1000;
        s.serverSentClose = true;
        s.serverCloseCode = serverCode;
        s.tcpClosed = true;
        s.serverClosedTcp = serverClosedTcp;
        s.runnerDroppedTcp = !serverClosedTcp;
        return s;
    }

    private static ClosingState serverFailed(Integer code, boolean sentClose) {
        ClosingState s = new ClosingState();
        s.serverSentClose = sentClose;
        s.serverCloseCode = code;
        s.runnerSentClose = sentClose;
        s.tcpClosed = true;
        s.serverClosedTcp = true;
        return s;
    }

    @Test
    void aCompleteHandshakeFollowedByTheServersTcpCloseIsClean() {
        ClosingBehaviour b = ClosingJudge.judge(ExpectedClose.normal(), runnerClosed(1000, true));
        assertEquals(ClosingVerdict.OK, b.verdict());
        assertTrue(b.clean());
        assertTrue(b.serverRepliedToClose());
    }

    @Test
    void aNormalCloseMayBeAnsweredWithoutACode() {
        assertEquals(ClosingVerdict.OK, ClosingJudge.judge(ExpectedClose.normal(), runnerClosed(null, true)).verdict());
    }

    @Test
    void aServerThatLeavesTcpOpenIsUnclean() {
        ClosingBehaviour b = ClosingJudge.judge(ExpectedClose.normal(), runnerClosed(1000, false));
        assertEquals(ClosingVerdict.UNCLEAN, b.verdict());
        assertTrue(b.note().contains("§7.1.1"), b.note());
    }

    @Test
    void aBareTcpDropWhereTheServerMustFailIsUnclean() {
        ClosingBehaviour b = ClosingJudge.judge(ExpectedClose.serverFails(1002), serverFailed(null, false));
        assertEquals(ClosingVerdict.UNCLEAN, b.verdict());
        assertTrue(b.note().contains("§7.1.7"), b.note());
    }

    @Test
    void failingNeedsTheRightCode() {
        assertEquals(ClosingVerdict.OK, ClosingJudge.judge(ExpectedClose.serverFails(1002), serverFailed(1002, true)).verdict());
        assertEquals(ClosingVerdict.WRONG_CODE,
                ClosingJudge.judge(ExpectedClose.serverFails(1002), serverFailed(1000, true)).verdict());
        assertEquals(ClosingVerdict.WRONG_CODE,
                ClosingJudge.judge(ExpectedClose.serverFails(1007), serverFailed(null, true)).verdict());
    }

    @Test
    void aServerThatDoesNotFailWhenItMustLeavesTheWrongEndpointClosing() {
        assertEquals(ClosingVerdict.FAILED,
                ClosingJudge.judge(ExpectedClose.serverFails(1002), runnerClosed(1000, true)).verdict());
        assertEquals(ClosingVerdict.FAILED,
                ClosingJudge.judge(ExpectedClose.normal(), serverFailed(1002, true)).verdict());
    }
}
