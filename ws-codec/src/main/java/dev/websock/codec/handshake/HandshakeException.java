package dev.websock.codec.handshake;

/**
 * The server's answer does not complete a WebSocket handshake, and the client must fail the connection
 * (RFC 6455 §4.1). The message says what was wrong.
 */
public final class HandshakeException extends Exception {

    private static final long serialVersionUID = 1L;

    public HandshakeException(String message) {
        super(message);
    }
}
