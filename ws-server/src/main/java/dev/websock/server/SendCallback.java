package dev.websock.server;

/**
 * Learns how a send ended, on the session's connection thread. One instance may serve many sends, so
 * steady-state sending need not allocate.
 */
public interface SendCallback {

    /** A callback for sends whose outcome does not matter. */
    SendCallback NONE = new SendCallback() {
        @Override
        public void completed(Session session) {
        }

        @Override
        public void failed(Session session, Throwable cause) {
        }
    };

    /** Every frame of the send has been handed to the network. */
    void completed(Session session);

    /** The send will never be made: the session is closing or closed, or its connection failed. */
    void failed(Session session, Throwable cause);
}
