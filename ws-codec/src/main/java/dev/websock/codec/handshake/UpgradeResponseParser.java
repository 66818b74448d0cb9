package dev.websock.codec.handshake;

import dev.websock.codec.http.HttpSyntax;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads the head of an HTTP/1.1 response (RFC 9112 §4-§5) from bytes that arrive in chunks of any size:
 * the client's counterpart of {@link UpgradeRequestParser}, with the same parser, rules and limits (the
 * status line takes the request line's limit). Feed it with {@link #parse} until it answers
 * {@link ParserState#DONE}; bytes after the head (the server's first frames) stay in the buffer.
 *
 * <p>Bad input never throws: it ends in {@link ParserState#FAILED} with a {@link #failureReason()}. A
 * status line is {@code HTTP/d.d SP 3DIGIT SP reason}; the space and reason may be missing, since RFC 9112
 * §4 tells a client to ignore the reason phrase anyway.
 *
 * <p>Not thread-safe: one connection, one thread. One parser reads one response.
 */
public final class UpgradeResponseParser {

    private final HeadParser head;
    private String version;
    private int status;
    private String reasonPhrase;
    private UpgradeResponse response;

    /** A parser with {@link HandshakeLimits#DEFAULTS}. */
    public UpgradeResponseParser() {
        this(HandshakeLimits.DEFAULTS);
    }

    public UpgradeResponseParser(HandshakeLimits limits) {
        this.head = new HeadParser(false, Objects.requireNonNull(limits, "limits"), this::readStatusLine);
    }

    /**
     * Reads from {@code in}'s position up to the end of the head or of the buffer, whichever comes first,
     * and moves the position past what it read. Once {@link ParserState#DONE} or {@link ParserState#FAILED},
     * reads nothing more and returns the same state.
     */
    public ParserState parse(ByteBuffer in) {
        return head.parse(in);
    }

    public ParserState state() {
        return head.state();
    }

    /**
     * The response.
     *
     * @throws IllegalStateException unless {@link #parse} returned {@link ParserState#DONE}
     */
    public UpgradeResponse response() {
        if (head.state() != ParserState.DONE) {
            throw new IllegalStateException("the response is not complete: the parser is " + head.state());
        }
        if (response == null) {
            response = new UpgradeResponse(version, status, reasonPhrase, head.headers());
        }
        return response;
    }

    /**
     * Why the response could not be read, for a {@link HandshakeException} and the log.
     *
     * @throws IllegalStateException unless {@link #parse} returned {@link ParserState#FAILED}
     */
    public String failureReason() {
        if (head.state() != ParserState.FAILED) {
            throw new IllegalStateException("the response did not fail: the parser is " + head.state());
        }
        return "unreadable handshake response: " + head.failureReason();
    }

    // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
    private boolean readStatusLine(byte[] line, int length) {
        String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
        boolean shaped = length >= 12 && UpgradeRequestParser.isHttpVersion(text.substring(0, 8))
                && text.charAt(8) == ' ' && isDigit(text.charAt(9)) && isDigit(text.charAt(10))
                && isDigit(text.charAt(11)) && (length == 12 || text.charAt(12) == ' ');
        if (!shaped) {
            head.fail(400, "status line " + HttpSyntax.quote(text) + " is not HTTP-version SP status-code SP reason,"
                    + " such as \"HTTP/1.1 101 Switching Protocols\" (RFC 9112 §4)");
            return false;
        }
        version = text.substring(0, 8);
        status = Integer.parseInt(text, 9, 12, 10);
        reasonPhrase = length > 13 ? text.substring(13) : "";
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
