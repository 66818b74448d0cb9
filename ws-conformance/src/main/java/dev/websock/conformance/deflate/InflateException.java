package dev.websock.conformance.deflate;

/** A server's compressed message could not be inflated, or reached outside the window it agreed to. */
public final class InflateException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean windowViolation;

    InflateException(String message, boolean windowViolation) {
        super(message);
        this.windowViolation = windowViolation;
    }

    /** True when the data was well-formed DEFLATE but a back-reference reached beyond the agreed window. */
    public boolean windowViolation() {
        return windowViolation;
    }
}
