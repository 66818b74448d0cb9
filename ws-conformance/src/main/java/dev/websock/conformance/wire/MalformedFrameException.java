package dev.websock.conformance.wire;

/** The peer's octets are not a well-formed frame (RFC 6455 §5.2); the message says which rule and where. */
public final class MalformedFrameException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }
}
