package dev.websock.codec.extension;

/**
 * An extension negotiation did not succeed. On a server, the offer is declined (the message is for the log; the
 * handshake goes on without it). On a client, the server's response is unacceptable and the client must
 * fail the WebSocket connection (RFC 6455 §4.1, RFC 7692 §7). The message says which parameter was wrong and
 * how. Carries no stack trace: it reports a peer's choice, not a bug.
 */
public final class ExtensionException extends Exception {

    private static final long serialVersionUID = 1L;

    public ExtensionException(String message) {
        super(message, null, false, false);
    }
}
