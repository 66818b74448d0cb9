package dev.websock.server;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One WebSocket connection, as the application sees it.
 *
 * <p>Every method may be called from any thread. The data given to a send is read during the call (copied or
 * compressed before the method returns), so the caller may reuse its buffer at once; frames go out in call
 * order. Sending after the session started closing fails the send's callback and sends nothing (RFC 6455
 * §5.5.1: no data after a close frame).
 */
public interface Session {

    /** Sends a text message. */
    void sendText(CharSequence text, SendCallback callback);

    /** Sends a text message; its outcome is ignored. */
    default void sendText(CharSequence text) {
        sendText(text, SendCallback.NONE);
    }

    /** Sends the bytes between {@code data}'s position and limit as a binary message; the position advances. */
    void sendBinary(ByteBuffer data, SendCallback callback);

    /** Sends a binary message; its outcome is ignored. */
    default void sendBinary(ByteBuffer data) {
        sendBinary(data, SendCallback.NONE);
    }

    /**
     * Sends one piece of a text message that is streamed, for messages larger than memory. {@code utf8} must be
     * UTF-8 (a piece may end inside a code point); {@code last} ends the message. Other messages may not be
     * sent until it is ended (control frames may): their callbacks fail with an {@link IllegalStateException},
     * and so does this one's when a binary message is being streamed. (Failed through the callback, not thrown:
     * the check runs on the connection thread, after a call from another thread has returned.)
     */
    void sendTextFragment(ByteBuffer utf8, boolean last, SendCallback callback);

    /**
     * Sends one piece of a binary message that is streamed; {@code last} ends the message. When a text message
     * is being streamed, the callback fails with an {@link IllegalStateException} and nothing is sent.
     */
    void sendBinaryFragment(ByteBuffer data, boolean last, SendCallback callback);

    /**
     * Sends a ping with up to 125 bytes of application data.
     *
     * @throws IllegalArgumentException when {@code data} holds more than 125 bytes (RFC 6455 §5.5)
     */
    void sendPing(ByteBuffer data);

    /**
     * Sends an unsolicited pong (a heartbeat, RFC 6455 §5.5.3); pongs answering pings are sent for you.
     *
     * @throws IllegalArgumentException when {@code data} holds more than 125 bytes
     */
    void sendPong(ByteBuffer data);

    /**
     * Starts the closing handshake with {@code code} and {@code reason}: sends the close frame, waits for the
     * peer's up to the server's close timeout, then closes the connection. Does nothing when the session is
     * already closing.
     *
     * @throws IllegalArgumentException when {@code code} may not be sent (RFC 6455 §7.4: 1000-1003,
     *     1007-1014 and 3000-4999 may) or {@code reason} takes more than 123 UTF-8 bytes
     */
    void close(int code, String reason);

    /** Closes normally: {@code close(1000, "")}. */
    default void close() {
        close(1000, "");
    }

    /** Whether data may still be sent: no close frame sent or received, connection up. */
    boolean isOpen();

    /**
     * Whether the outbound queue is below its high-water mark. When false, stop sending until
     * {@link WebSocketHandler#onWritable} is called.
     */
    boolean isWritable();

    /** Bytes queued for the peer and not yet written to the network. */
    long queuedBytes();

    /** The handshake request's path, such as {@code /chat}. */
    String path();

    /** The handshake request's query, without {@code ?}, or {@code null}. */
    String query();

    /**
     * The handshake request, as the interceptor saw it: during {@link WebSocketHandler#onOpen}, and afterwards
     * only on a server built with {@code retainHandshakeRequest(true)}.
     *
     * @throws IllegalStateException after {@code onOpen} has returned on a server that does not keep requests
     */
    HandshakeRequest request();

    /** The negotiated subprotocol, or {@code null} when none was agreed. */
    String subprotocol();

    /** The negotiated extensions, as the response's {@code Sec-WebSocket-Extensions} elements. */
    List<String> extensions();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** The local address the peer connected to. */
    SocketAddress localAddress();

    /** Whether the connection is carried by TLS ({@code wss://}). */
    boolean isSecure();

    /** An attribute set by {@link #attribute(String, Object)} or by the handshake interceptor, or null. */
    Object attribute(String name);

    /** Sets (or, with null, removes) an attribute. Attributes are thread-safe. */
    void attribute(String name, Object value);
}
