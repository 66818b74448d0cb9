package dev.websock.conformance.cases;

import dev.websock.conformance.ClosingBehaviour;
import dev.websock.conformance.ClosingVerdict;
import dev.websock.conformance.client.Connection.ClosingState;

/**
 * Judges how a connection ended, in Autobahn's order of checks, with a stricter bar on failing:
 *
 * <ol>
 *   <li>The right endpoint started closing: the runner when the case says so, the server when it had to fail the
 *       connection. Otherwise FAILED.</li>
 *   <li>The close was clean: close frames went both ways and the server closed the TCP connection. Otherwise
 *       UNCLEAN. Autobahn accepts a bare TCP drop where the server must fail the connection; this runner does
 *       not: RFC 6455 §7.1.7 says the failing endpoint SHOULD send a close frame with an appropriate status code
 *       first, and §7.1.1 says the server closes TCP after the handshake. A server that only drops the TCP
 *       connection leaves the client unable to tell a protocol error from a network failure.</li>
 *   <li>The server's close code is one the case allows (§7.4). Otherwise WRONG CODE. Where the runner closes
 *       normally a close frame with no code is accepted (§5.5.1 says the code is "typically" echoed); where the
 *       server fails the connection a code is required (§7.1.7: "an appropriate status code").</li>
 * </ol>
 */
public final class ClosingJudge {

    /** What the runner accepts when closing, and why; the reports print it. */
    public static final String POLICY = "A case is OK only with a clean close: close frames went both ways and the "
            + "server then closed the TCP connection (RFC 6455 §7.1.1: the server closes TCP first; the runner waits "
            + "for it, then drops the connection itself and reports UNCLEAN). Where the server must fail the "
            + "connection, it must send a close frame with the case's close code before closing TCP (§7.1.7: the "
            + "endpoint SHOULD send a Close frame with an appropriate status code); Autobahn also accepts a bare TCP "
            + "drop there, this runner reports it UNCLEAN, because a client cannot tell such a drop from a network "
            + "failure. Where the runner closes normally, the server's close frame may echo the code or carry none "
            + "(§5.5.1: the code is \"typically\" echoed).";

    private ClosingJudge() {}

    public static ClosingBehaviour judge(ExpectedClose expected, ClosingState s) {
        boolean clean = s.runnerSentClose && s.serverSentClose && s.serverClosedTcp;
        boolean replied = s.runnerClosedFirst && s.serverSentClose;
        ClosingVerdict verdict;
        String note;
        if (expected.informational()) {
            verdict = ClosingVerdict.INFORMATIONAL;
            note = "the RFC leaves this to the implementation; the connection closed " + (clean ? "cleanly" : "uncleanly");
        } else if (expected.closedByRunner() != s.runnerClosedFirst) {
            verdict = ClosingVerdict.FAILED;
            note = expected.closedByRunner()
                    ? "the server closed the connection, but the runner was to start the closing handshake"
                    : "the server did not fail the connection (RFC 6455 §7.1.7); the runner had to close it";
        } else if (!clean) {
            verdict = ClosingVerdict.UNCLEAN;
            if (!s.serverSentClose && s.serverClosedTcp) {
                note = "the server dropped the TCP connection without a close frame (RFC 6455 §7.1.7: it SHOULD send one)";
            } else if (!s.serverSentClose) {
                note = "the server did not answer the runner's close frame (RFC 6455 §5.5.1)";
            } else if (!s.runnerSentClose) {
                note = "the runner could not answer the server's close frame";
            } else {
                note = "the server did not close the TCP connection after the closing handshake (RFC 6455 §7.1.1)";
            }
        } else if (!expected.accepts(s.serverCloseCode)) {
            verdict = ClosingVerdict.WRONG_CODE;
            note = "the server's close code was " + (s.serverCloseCode == null ? "empty" : s.serverCloseCode)
                    + "; it should have been " + expected.codes()
                    + (expected.codes().contains(1000) ? " or empty" : "") + " (RFC 6455 §7.4)";
        } else if (s.runnerDroppedTcp) {
            verdict = ClosingVerdict.FAILED_BY_CLIENT;
            note = "the runner had to drop the TCP connection (RFC 6455 §7.1.1: the server should close it)";
        } else {
            verdict = ClosingVerdict.OK;
            note = "the connection was closed cleanly";
        }
        if (s.serverSentSecondClose) {
            note += "; the server sent a second close frame, which the runner ignored";
        }
        return new ClosingBehaviour(verdict, note, s.runnerClosedFirst, s.serverSentClose, replied, s.serverClosedTcp,
                s.runnerDroppedTcp, s.runnerCloseCode, s.serverCloseCode, s.serverCloseReason, clean);
    }
}
