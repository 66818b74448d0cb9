package dev.websock.conformance.client;

/** Which close codes may appear in a close frame (RFC 6455 §7.4.1, §7.4.2 and the IANA registry, §11.7). */
public final class CloseCodes {

    public static final int NORMAL = 1000;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int INVALID_PAYLOAD = 1007;

    private CloseCodes() {}

    /**
     * 1000-1003 and 1007-1014 are registered for use in close frames (1012-1014 were registered after RFC 6455,
     * §11.7 allows that); 1004 is reserved; 1005, 1006 and 1015 are for local reports only; 3000-4999 belong to
     * libraries and applications; all else is invalid.
     */
    public static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
