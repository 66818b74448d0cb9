package dev.websock.conformance.client;

import java.io.IOException;

/** The opening handshake failed (RFC 6455 §4.1, §4.2.2): the message says what the server answered and why it is wrong. */
public final class HandshakeException extends IOException {

    private static final long serialVersionUID = 1L;

    public HandshakeException(String message) {
        super(message);
    }
}
