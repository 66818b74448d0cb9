package dev.websock.codec;

/**
 * Close status codes (RFC 6455 §7.4, and the IANA "WebSocket Close Code Number Registry").
 * Plain {@code int}s, as on the wire; this class names them and says which may be sent.
 */
public final class CloseCode {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reported locally when a close frame carried no code; never sent (§7.4.1). */
    public static final int NO_STATUS = 1005;
    /** Reported locally when the connection closed without a close frame; never sent (§7.4.1). */
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int MANDATORY_EXTENSION = 1010;
    public static final int INTERNAL_ERROR = 1011;
    public static final int SERVICE_RESTART = 1012;
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int BAD_GATEWAY = 1014;
    /** Reported locally when the TLS handshake failed; never sent (§7.4.1). */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCode() {}

    /**
     * Whether a close frame may carry this code: the registered codes 1000-1003 and 1007-1014, and 3000-4999
     * (libraries, frameworks and applications). 1004 is reserved, 1005, 1006 and 1015 are for local reports
     * only, and everything below 1000 or in 1016-2999 is unassigned: receiving one fails the connection
     * with 1002.
     */
    public static boolean isSendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /** A name for logs. */
    public static String name(int code) {
        return switch (code) {
            case NORMAL -> "normal closure";
            case GOING_AWAY -> "going away";
            case PROTOCOL_ERROR -> "protocol error";
            case UNSUPPORTED_DATA -> "unsupported data";
            case NO_STATUS -> "no status code";
            case ABNORMAL -> "abnormal closure";
            case INVALID_PAYLOAD -> "invalid payload data";
            case POLICY_VIOLATION -> "policy violation";
            case MESSAGE_TOO_BIG -> "message too big";
            case MANDATORY_EXTENSION -> "mandatory extension";
            case INTERNAL_ERROR -> "internal error";
            case SERVICE_RESTART -> "service restart";
            case TRY_AGAIN_LATER -> "try again later";
            case BAD_GATEWAY -> "bad gateway";
            case TLS_HANDSHAKE -> "TLS handshake failure";
            default -> code >= 3000 && code <= 4999 ? "application code " + code : "unassigned code " + code;
        };
    }
}
