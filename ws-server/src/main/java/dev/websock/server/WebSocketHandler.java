package dev.websock.server;

import java.nio.ByteBuffer;

/**
 * The application's side of a WebSocket endpoint. One handler may serve many sessions; every call names its
 * session. Calls for one session never overlap and come in order, on the session's thread (its transport
 * connection's thread, or a virtual thread of its own when the server runs handlers on virtual threads), so
 * per-session state needs no locks. Keep them short on an event loop: the loop serves other sessions too.
 *
 * <p>Buffers passed in are valid only during the call: copy what must outlive it. A handler that throws
 * closes its session with 1011 (internal error), and the exception reaches {@link #onError}.
 */
public interface WebSocketHandler {

    /** The opening handshake completed; the session can send. */
    default void onOpen(Session session) {
    }

    /** A whole text message (routes with {@link MessageDelivery#WHOLE}). */
    default void onText(Session session, String text) {
    }

    /** A whole binary message (routes with {@link MessageDelivery#WHOLE}), between position and limit. */
    default void onBinary(Session session, ByteBuffer data) {
    }

    /**
     * A piece of a text message as it arrives (routes with {@link MessageDelivery#STREAMING}): UTF-8 bytes,
     * valid so far; the message is complete and valid once {@code last}. A piece may end inside a code point.
     * The default refuses streamed text with 1003.
     */
    default void onTextFragment(Session session, ByteBuffer utf8, boolean last) {
        session.close(1003, "this endpoint does not accept streamed text");
    }

    /**
     * A piece of a binary message as it arrives (routes with {@link MessageDelivery#STREAMING}). The default
     * refuses streamed binary messages with 1003.
     */
    default void onBinaryFragment(Session session, ByteBuffer data, boolean last) {
        session.close(1003, "this endpoint does not accept streamed binary messages");
    }

    /** A ping arrived; its pong has already been sent (RFC 6455 §5.5.2). */
    default void onPing(Session session, ByteBuffer data) {
    }

    /** A pong arrived, solicited or not (RFC 6455 §5.5.3). */
    default void onPong(Session session, ByteBuffer data) {
    }

    /**
     * The session has ended: the last call. {@code code} and {@code reason} are the peer's close frame's after a
     * closing handshake it started, ours when we closed first, 1006 (abnormal) when the connection was lost
     * without a closing handshake, and the failure's code (1002, 1007, 1009, …) when the protocol failed.
     */
    default void onClose(Session session, int code, String reason) {
    }

    /**
     * Something went wrong that the application may want to know: the peer broke the protocol, the connection
     * failed, or this handler threw. {@link #onClose} follows.
     */
    default void onError(Session session, Throwable error) {
    }

    /**
     * The session's outbound queue drained below its low-water mark after it had been
     * {@linkplain Session#isWritable() unwritable}: sending may resume.
     */
    default void onWritable(Session session) {
    }
}
