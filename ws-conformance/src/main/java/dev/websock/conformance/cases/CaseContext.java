package dev.websock.conformance.cases;

import dev.websock.conformance.Verdict;
import dev.websock.conformance.client.Connection;
import dev.websock.conformance.client.Observation;
import dev.websock.conformance.wire.Bytes;
import dev.websock.conformance.wire.Frame;
import dev.websock.conformance.wire.Opcode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a case's script works with: the connection, the run's limits, and the expectation the script sets.
 * Used from the case's thread only.
 */
public final class CaseContext {

    private final Connection connection;
    private final Limits limits;
    private final Map<Verdict, List<Observation>> expected = new LinkedHashMap<>();
    private ExpectedClose expectedClose = ExpectedClose.normal();
    private Verdict decided;
    private String decidedNote;
    private int runnerCloseCode = 1000;

    private final long deadlineNanos;

    CaseContext(Connection connection, Limits limits, long deadlineNanos) {
        this.connection = connection;
        this.limits = limits;
        this.deadlineNanos = deadlineNanos;
    }

    /** When the case's time is up ({@link System#nanoTime()}). */
    public long deadline() {
        return deadlineNanos;
    }

    public Connection connection() {
        return connection;
    }

    public Limits limits() {
        return limits;
    }

    // ---- expectations ----

    /** The observations that earn {@code verdict}, in order. OK is compared first, then the others as added. */
    public void expect(Verdict verdict, Observation... observations) {
        expected.put(verdict, List.of(observations));
    }

    public void expect(Verdict verdict, List<Observation> observations) {
        expected.put(verdict, List.copyOf(observations));
    }

    public void expectClose(ExpectedClose close) {
        this.expectedClose = close;
    }

    /** The server must fail the connection with {@code code} (RFC 6455 §7.1.7), and send nothing else. */
    public void expectFailure(int code) {
        expect(Verdict.OK);
        expectClose(ExpectedClose.serverFails(code));
    }

    /** The script judged the behaviour itself (bulk cases compare as they go); the comparison is skipped. */
    public void decide(Verdict verdict, String note) {
        this.decided = verdict;
        this.decidedNote = note;
    }

    Map<Verdict, List<Observation>> expected() {
        return expected;
    }

    ExpectedClose expectedClose() {
        return expectedClose;
    }

    Verdict decided() {
        return decided;
    }

    String decidedNote() {
        return decidedNote;
    }

    int runnerCloseCode() {
        return runnerCloseCode;
    }

    // ---- sending ----

    public void send(Frame... frames) {
        connection.send(frames);
    }

    /** All frames in writes of {@code chop} octets (1: "octet-wise chops"). */
    public void sendChopped(int chop, Frame... frames) {
        connection.sendChopped(chop, 0, frames);
    }

    /** Each frame in its own write ("frame-wise chops"). */
    public void sendFrameWise(Frame... frames) {
        connection.sendFrameWise(0, frames);
    }

    public void sendText(String text) {
        send(text(text));
    }

    public void sendClose(Integer code, String reason) {
        connection.sendClose(code, reason);
    }

    /** Waits {@code millis}, e.g. to let a server fail fast before the runner sends more. */
    public void pause(int millis) {
        connection.log().note("pause " + millis + " ms");
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Records a marker if the connection is still open, as Autobahn records ("timeout", "A"): a server that fails
     * fast has closed before the marker, a late one after it.
     */
    public boolean markIfOpen(String label) {
        if (connection.isOpen()) {
            // A marker must come after everything the server sent before it; the reading thread records those.
            connection.observeMarker(new Observation.Marker(label));
            return true;
        }
        return false;
    }

    /** The next message (pongs and pings are skipped), or null when none arrives before the deadline. */
    public Observation.Message nextMessage(long deadlineNanos) {
        while (true) {
            Observation o = connection.take(deadlineNanos);
            if (o == null) {
                return null;
            }
            if (o instanceof Observation.Message m) {
                return m;
            }
        }
    }

    // ---- frame helpers ----

    public static Frame text(String text) {
        return Frame.of(Opcode.TEXT, Bytes.utf8(text));
    }

    public static Frame frame(int opcode, boolean fin, byte[] payload) {
        return new Frame(fin, 0, opcode, true, payload);
    }

    public static Frame frame(int opcode, boolean fin, String payload) {
        return frame(opcode, fin, Bytes.utf8(payload));
    }

    /** Splits a payload into frames of {@code size} bytes: first with {@code opcode}, then continuations. */
    public static Frame[] fragments(int opcode, byte[] payload, int size) {
        List<Frame> frames = new ArrayList<>();
        if (payload.length == 0) {
            return new Frame[] {frame(opcode, true, payload)};
        }
        for (int at = 0; at < payload.length; at += size) {
            byte[] part = java.util.Arrays.copyOfRange(payload, at, Math.min(payload.length, at + size));
            frames.add(frame(at == 0 ? opcode : Opcode.CONTINUATION, at + size >= payload.length, part));
        }
        return frames.toArray(Frame[]::new);
    }
}
