package dev.websock.codec.handshake;

/**
 * How much of an opening handshake a parser reads before it gives up: every limit is checked before the
 * bytes it guards are stored, so a peer can make a parser hold at most
 * {@code max(maxStartLineBytes, maxHeaderBytes)} bytes and {@code maxHeaderCount} field positions.
 *
 * <p>Immutable and thread-safe; build one at start-up and share it.
 *
 * @param maxStartLineBytes the longest request line or status line, its CRLF included. Default 8192: RFC
 *     9112 §3 recommends accepting request lines of at least 8000 octets, and a WebSocket URI is short. A
 *     longer request line is answered with 414 URI Too Long, or 400 when it is not a request line at all.
 * @param maxHeaderBytes the most bytes all header lines may take together, CRLFs and the empty line
 *     included. Default 8192, as in Netty, Tomcat and nginx's default buffer: browsers send 0.5-2 KiB, more
 *     only with large cookies. More is answered with 431 Request Header Fields Too Large (RFC 6585 §5).
 * @param maxHeaderCount the most header fields, repeats counted. Default 100, as in Tomcat: a browser
 *     sends about 15. More is answered with 431.
 */
public record HandshakeLimits(int maxStartLineBytes, int maxHeaderBytes, int maxHeaderCount) {

    /** 8 KiB request line, 8 KiB of headers, 100 fields. */
    public static final HandshakeLimits DEFAULTS = new HandshakeLimits(8192, 8192, 100);

    /** The largest value any byte limit may take: a handshake that needs more is not one. */
    public static final int MAX_BYTES = 1 << 20;

    /**
     * @throws IllegalArgumentException when {@code maxStartLineBytes} is below 64 (room for a short URI),
     *     {@code maxHeaderBytes} below 256 (room for the five fields a handshake needs), {@code
     *     maxHeaderCount} below 8, or a byte limit above {@link #MAX_BYTES}
     */
    public HandshakeLimits {
        if (maxStartLineBytes < 64 || maxStartLineBytes > MAX_BYTES) {
            throw new IllegalArgumentException("maxStartLineBytes " + maxStartLineBytes + " is outside [64, "
                    + MAX_BYTES + "]; 8192 suits nearly everyone");
        }
        if (maxHeaderBytes < 256 || maxHeaderBytes > MAX_BYTES) {
            throw new IllegalArgumentException("maxHeaderBytes " + maxHeaderBytes + " is outside [256, "
                    + MAX_BYTES + "]; 8192 suits nearly everyone, raise it only for large cookies");
        }
        if (maxHeaderCount < 8 || maxHeaderCount > MAX_BYTES / 4) {
            throw new IllegalArgumentException("maxHeaderCount " + maxHeaderCount + " is outside [8, "
                    + MAX_BYTES / 4 + "]; 100 suits nearly everyone");
        }
    }

    /** These limits with another {@code maxStartLineBytes}. */
    public HandshakeLimits withMaxStartLineBytes(int bytes) {
        return new HandshakeLimits(bytes, maxHeaderBytes, maxHeaderCount);
    }

    /** These limits with another {@code maxHeaderBytes}. */
    public HandshakeLimits withMaxHeaderBytes(int bytes) {
        return new HandshakeLimits(maxStartLineBytes, bytes, maxHeaderCount);
    }

    /** These limits with another {@code maxHeaderCount}. */
    public HandshakeLimits withMaxHeaderCount(int count) {
        return new HandshakeLimits(maxStartLineBytes, maxHeaderBytes, count);
    }
}
