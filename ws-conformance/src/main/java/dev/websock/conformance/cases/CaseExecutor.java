package dev.websock.conformance.cases;

import dev.websock.conformance.CaseResult;
import dev.websock.conformance.ClosingBehaviour;
import dev.websock.conformance.ClosingVerdict;
import dev.websock.conformance.Verdict;
import dev.websock.conformance.client.Connection;
import dev.websock.conformance.client.HandshakeException;
import dev.websock.conformance.client.Observation;
import dev.websock.conformance.client.Target;
import dev.websock.conformance.client.WireLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * Runs one case against a server, as Autobahn runs its server cases: open a connection (handshake to the URL's
 * path), run the script, wait until the expected observations arrived or the server closed, start the closing
 * handshake if the case says the runner closes, wait for the server's close frame and its TCP close, and judge.
 * Every wait is bounded, so a hanging server fails the case instead of hanging the run.
 */
public final class CaseExecutor {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().daemon().name("conformance-watchdog").unstarted(r));

    private final Target target;
    private final SocketFactory sockets;
    private final Limits limits;

    public CaseExecutor(Target target, SocketFactory sockets, Limits limits) {
        this.target = target;
        this.sockets = sockets;
        this.limits = limits;
    }

    public CaseResult run(ConformanceCase c) {
        long start = System.nanoTime();
        WireLog log = new WireLog(start);
        int timeout = c.bulk() ? limits.bulkTimeoutMillis() : limits.caseTimeoutMillis();
        long deadline = start + timeout * 1_000_000L;
        Connection connection;
        try {
            connection = Connection.open(target, sockets, c.offers(), log, limits.caseTimeoutMillis());
        } catch (HandshakeException e) {
            return notConnected(c, log, start, "opening handshake failed: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return notConnected(c, log, start, "could not connect to " + target.host() + ":" + target.port() + ": " + e);
        }
        CaseContext ctx = new CaseContext(connection, limits, deadline);
        String runnerError = null;
        // Blocking writes have no timeout: a server that stops reading would block a large write for ever. The
        // watchdog drops the connection once the case's time and the closing time are up, which ends any write.
        Future<?> watchdog = WATCHDOG.schedule(() -> {
            log.note("case time is up: the runner drops the connection");
            connection.drop();
        }, timeout + limits.closeTimeoutMillis() + 1000L, TimeUnit.MILLISECONDS);
        try (connection) {
            try {
                c.script().run(ctx);
            } catch (Exception | AssertionError e) {
                runnerError = "the case stopped with " + e;
                log.note(runnerError);
            }
            awaitExpected(ctx, connection, deadline);
            closeAndAwaitTcp(ctx, connection);
        } finally {
            watchdog.cancel(false);
        }
        return judge(c, ctx, connection, log, start, runnerError);
    }

    private void awaitExpected(CaseContext ctx, Connection connection, long deadline) {
        if (ctx.decided() != null) {
            return;
        }
        List<Observation> ok = ctx.expected().get(Verdict.OK);
        if (ctx.expectedClose().closedByRunner() && ok != null) {
            // Wait for exactly what OK expects, or for the server to close (Autobahn's finishWhenDone).
            connection.await(() -> !connection.isOpen() || ok.equals(connection.observedUnlocked()), deadline);
        } else {
            // The server must fail the connection: give it failWait to do so (Autobahn's killAfter).
            long failDeadline = Math.min(deadline, System.nanoTime() + limits.failWaitMillis() * 1_000_000L);
            connection.await(() -> !connection.isOpen(), failDeadline);
        }
    }

    private void closeAndAwaitTcp(CaseContext ctx, Connection connection) {
        if (connection.isOpen()) {
            connection.sendClose(ctx.runnerCloseCode(), "");
        }
        // §7.1.1: after the closing handshake the server closes the TCP connection first; the runner drops it
        // only when the server has not done so in time.
        long closeDeadline = System.nanoTime() + limits.closeTimeoutMillis() * 1_000_000L;
        connection.await(connection::tcpClosedUnlocked, closeDeadline);
        if (!connection.tcpClosed()) {
            connection.log().note("server did not close the TCP connection within " + limits.closeTimeoutMillis()
                    + " ms; the runner drops it");
            connection.drop();
        }
    }

    private CaseResult judge(ConformanceCase c, CaseContext ctx, Connection connection, WireLog log, long start,
                             String runnerError) {
        List<Observation> observed = connection.observed();
        Verdict verdict;
        String note;
        if (runnerError != null) {
            verdict = Verdict.FAILED;
            note = runnerError;
        } else if (connection.violation() != null && !ctx.expectedClose().informational()) {
            verdict = Verdict.FAILED;
            note = "the server broke a rule, so the runner failed the connection: " + connection.violation();
        } else if (ctx.decided() != null) {
            verdict = ctx.decided();
            note = ctx.decidedNote();
        } else {
            verdict = Verdict.FAILED;
            note = "Actual events differ from any expected.";
            for (Map.Entry<Verdict, List<Observation>> e : ctx.expected().entrySet()) {
                if (e.getValue().equals(observed)) {
                    verdict = e.getKey();
                    note = "Actual events match at least one expected.";
                    break;
                }
            }
        }
        ClosingBehaviour closing = ClosingJudge.judge(ctx.expectedClose(), connection.closingState());
        if (closing.verdict() == ClosingVerdict.WRONG_CODE && ctx.expectedClose().wrongCodeFails()) {
            verdict = Verdict.FAILED;
            note = closing.note();
        }
        if (ctx.expectedClose().informational() && runnerError == null) {
            // The RFC leaves these cases open: what happened is reported, including a rule the runner saw broken.
            note = (verdict == Verdict.FAILED ? "" : verdict.label() + "-like: ") + note
                    + (connection.violation() == null ? "" : "; the runner noted: " + connection.violation());
            verdict = Verdict.INFORMATIONAL;
        }
        List<String> expected = new ArrayList<>();
        for (Map.Entry<Verdict, List<Observation>> e : ctx.expected().entrySet()) {
            expected.add(e.getKey().label() + ": " + describe(e.getValue()));
        }
        if (expected.isEmpty() && ctx.decided() != null) {
            expected.add("judged by the case as it ran");
        }
        List<String> seen = new ArrayList<>();
        for (Observation o : observed) {
            seen.add(o.describe());
        }
        return new CaseResult(c.id(), c.description(), c.expectation(), verdict, note, expected, seen, closing,
                log.entries(), connection.deflate() == null ? null : connection.deflate().toString(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static String describe(List<Observation> observations) {
        List<String> parts = new ArrayList<>();
        for (Observation o : observations) {
            parts.add(o.describe());
        }
        return parts.toString();
    }

    private CaseResult notConnected(ConformanceCase c, WireLog log, long start, String why) {
        log.note(why);
        ClosingBehaviour closing = new ClosingBehaviour(ClosingVerdict.FAILED, why, false, false, false, false,
                false, null, null, null, false);
        return new CaseResult(c.id(), c.description(), c.expectation(), Verdict.FAILED, why, List.of(), List.of(),
                closing, log.entries(), null, Duration.ofNanos(System.nanoTime() - start));
    }
}
