package dev.websock.codec;

/**
 * The closing handshake (RFC 6455 §5.5.1, §7.1): who sent a close frame, who answered, and what must happen
 * next. A plain state machine; the server asks it before sending and after receiving.
 *
 * <pre>
 *   OPEN --send close--> CLOSE_SENT --receive close--> CLOSED
 *   OPEN --receive close--> CLOSE_RECEIVED --send close--> CLOSED
 * </pre>
 *
 * <p>When it is {@link State#CLOSED}, the server closes the TCP connection (§7.1.1: the server closes it
 * first, so that the client need not hold TIME_WAIT). Each side sends at most one close frame, and no data
 * after it (§5.5.1).
 *
 * <p>Not thread-safe: one connection, one thread.
 */
public final class CloseHandshake {

    /** Where the handshake stands. */
    public enum State {
        OPEN,
        CLOSE_SENT,
        CLOSE_RECEIVED,
        CLOSED
    }

    private State state = State.OPEN;
    private int receivedCode = -1;

    public State state() {
        return state;
    }

    /** Whether this endpoint may still send data frames: not after its own close frame, nor after the peer's. */
    public boolean maySendData() {
        return state == State.OPEN;
    }

    /** Whether this endpoint has yet to send its close frame. */
    public boolean maySendClose() {
        return state == State.OPEN || state == State.CLOSE_RECEIVED;
    }

    /**
     * Records that this endpoint sends its close frame now. Returns false, and changes nothing, when it had
     * already sent one: a second close frame must not be sent.
     */
    public boolean closeSent() {
        switch (state) {
            case OPEN -> state = State.CLOSE_SENT;
            case CLOSE_RECEIVED -> state = State.CLOSED;
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Records the peer's close frame. Returns the code to answer with, when an answer is due: the peer's own
     * code echoed (§5.5.1: "typically echos the status code it received"), or {@link CloseCode#NO_STATUS} when
     * its frame carried none, meaning answer with an empty close frame. Returns -1 when no answer is due:
     * this endpoint had closed first, and the handshake is now complete.
     */
    public int closeReceived(int code) {
        receivedCode = code;
        switch (state) {
            case OPEN -> {
                state = State.CLOSE_RECEIVED;
                return code;
            }
            case CLOSE_SENT -> {
                state = State.CLOSED;
                return -1;
            }
            default -> {
                return -1; // a second close frame: the frame decoder stops after the first, so this is a caller's slip
            }
        }
    }

    /**
     * Records that this endpoint failed the connection (§7.1.7): it sends its close frame now, if it has not
     * yet, and then closes TCP without waiting for the peer's answer. Returns whether a close frame is still
     * to be sent.
     */
    public boolean failed() {
        boolean mustSend = maySendClose();
        state = State.CLOSED;
        return mustSend;
    }

    /** The code of the peer's close frame, or -1 when none came. */
    public int receivedCode() {
        return receivedCode;
    }

    /** Whether both close frames have passed: the server must now close the TCP connection. */
    public boolean isComplete() {
        return state == State.CLOSED;
    }
}
