package dev.websock.codec.handshake;

import dev.websock.codec.http.HttpSyntax;
import static dev.websock.codec.http.HttpSyntax.SP;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads the head of an HTTP/1.1 request (RFC 9112 §2-§5) from bytes that arrive in chunks of any size, one
 * byte at a time included. Feed it with {@link #parse} until it answers {@link ParserState#DONE}, then take
 * the {@link #request()}; any bytes after the head (a first WebSocket frame that a client sent without
 * waiting) are left in the buffer.
 *
 * <p>Bad input never throws: it ends in {@link ParserState#FAILED} with a {@link #rejection()} to send,
 * whose status says what was wrong:
 * <ul>
 *   <li>431 Request Header Fields Too Large: more header bytes or fields than {@link HandshakeLimits}
 *       allow (RFC 6585 §5);</li>
 *   <li>414 URI Too Long: a request line longer than the limit (RFC 9112 §3);</li>
 *   <li>400 Bad Request: anything that is not the HTTP/1.1 syntax: a bare CR or LF, obs-fold, whitespace
 *       before a colon, a name that is not a token, a control character in a value, a request line that is
 *       not {@code METHOD SP target SP HTTP/d.d}, a target that is neither a path nor an absolute URI.
 *       {@link HeadParser} has the details and their reasons.</li>
 * </ul>
 * Whether the request is a WebSocket handshake is not checked here: that is {@link ServerHandshake#validate}.
 *
 * <p>Not thread-safe: one connection, one thread. Holds at most the larger byte limit of its
 * {@link HandshakeLimits}, and lets go of it once done. One parser reads one request.
 */
public final class UpgradeRequestParser {

    private final HeadParser head;
    private String method;
    private String target;
    private String version;
    private UpgradeRequest request;

    /** A parser with {@link HandshakeLimits#DEFAULTS}. */
    public UpgradeRequestParser() {
        this(HandshakeLimits.DEFAULTS);
    }

    public UpgradeRequestParser(HandshakeLimits limits) {
        this.head = new HeadParser(true, Objects.requireNonNull(limits, "limits"), this::readRequestLine);
    }

    /**
     * Reads from {@code in}'s position up to the end of the head or of the buffer, whichever comes first,
     * and moves the position past what it read. Once {@link ParserState#DONE} or {@link ParserState#FAILED},
     * reads nothing more and returns the same state. {@code in} may be read-only.
     */
    public ParserState parse(ByteBuffer in) {
        return head.parse(in);
    }

    public ParserState state() {
        return head.state();
    }

    /**
     * The request.
     *
     * @throws IllegalStateException unless {@link #parse} returned {@link ParserState#DONE}
     */
    public UpgradeRequest request() {
        if (head.state() != ParserState.DONE) {
            throw new IllegalStateException("the request is not complete: the parser is " + head.state());
        }
        if (request == null) {
            request = new UpgradeRequest(method, target, version, head.headers());
        }
        return request;
    }

    /**
     * What to answer, and why.
     *
     * @throws IllegalStateException unless {@link #parse} returned {@link ParserState#FAILED}
     */
    public HandshakeRejection rejection() {
        if (head.state() != ParserState.FAILED) {
            throw new IllegalStateException("the request did not fail: the parser is " + head.state());
        }
        return new HandshakeRejection(head.failureStatus(), head.failureReason());
    }

    // RFC 9112 §3: request-line = method SP request-target SP HTTP-version
    private boolean readRequestLine(byte[] line, int length) {
        if (length == 0) {
            return fail("empty request line; a handshake starts with a line such as \"GET /chat HTTP/1.1\"");
        }
        int methodEnd = HeadParser.indexOf(line, 0, length, SP);
        int targetEnd = methodEnd < 0 ? -1 : HeadParser.indexOf(line, methodEnd + 1, length, SP);
        if (methodEnd <= 0 || targetEnd < 0 || targetEnd == methodEnd + 1
                || HeadParser.indexOf(line, targetEnd + 1, length, SP) >= 0) {
            // RFC 9112 §3 says that lenient splitting on any whitespace invites smuggling; we do not guess.
            return fail("request line " + HttpSyntax.quote(latin1(line, 0, length)) + " is not METHOD SP target SP HTTP-version with"
                    + " single spaces, such as \"GET /chat HTTP/1.1\"; spaces in a target must be percent-encoded"
                    + " (RFC 9112 §3)");
        }
        for (int i = 0; i < methodEnd; i++) {
            if (!HttpSyntax.isTchar(line[i] & 0xFF)) {
                return fail("method " + HttpSyntax.quote(latin1(line, 0, methodEnd)) + " is not a token (RFC 9110 §9.1)");
            }
        }
        String version = latin1(line, targetEnd + 1, length);
        if (!isHttpVersion(version)) {
            return fail(HttpSyntax.quote(version) + " is not an HTTP version such as HTTP/1.1 (RFC 9112 §2.3)");
        }
        String target = latin1(line, methodEnd + 1, targetEnd);
        if (target.indexOf('#') >= 0) {
            return fail("request target " + HttpSyntax.quote(target) + " has a fragment ('#'), which is never sent"
                    + " (RFC 9112 §3.2; RFC 6455 §3)");
        }
        if (target.charAt(0) != '/' && !isAbsoluteForm(target)) {
            return fail("request target " + HttpSyntax.quote(target) + " is neither a path such as /chat"
                    + " (origin-form) nor an absolute ws, wss, http or https URI (absolute-form, RFC 9112 §3.2)");
        }
        this.method = latin1(line, 0, methodEnd);
        this.target = target;
        this.version = version;
        return true;
    }

    private static String latin1(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private boolean fail(String reason) {
        head.fail(400, reason);
        return false;
    }

    // RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive.
    static boolean isHttpVersion(String v) {
        return v.length() == 8 && v.startsWith("HTTP/") && isDigit(v.charAt(5)) && v.charAt(6) == '.'
                && isDigit(v.charAt(7));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // RFC 9112 §3.2.2: a server MUST accept the absolute-form; we take the schemes a handshake can be for,
    // with an authority that is a valid host and optional port.
    private static boolean isAbsoluteForm(String target) {
        int colon = target.indexOf("://");
        if (colon < 0) {
            return false;
        }
        String scheme = target.substring(0, colon);
        if (!(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss")
                || scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return false;
        }
        int authorityEnd = colon + 3;
        while (authorityEnd < target.length() && target.charAt(authorityEnd) != '/' && target.charAt(authorityEnd) != '?') {
            authorityEnd++;
        }
        return HttpSyntax.isHostAndPort(target, colon + 3, authorityEnd);
    }
}
