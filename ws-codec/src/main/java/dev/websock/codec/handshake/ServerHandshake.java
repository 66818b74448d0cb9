package dev.websock.codec.handshake;

import dev.websock.codec.http.HttpSyntax;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): decides whether a parsed request is a
 * WebSocket handshake this server accepts, and writes the 101 or the error response.
 *
 * <pre>{@code
 * switch (ServerHandshake.validate(request)) {
 *     case ServerHandshake.Accepted accepted -> write(ServerHandshake.accept(accepted.key(),
 *             ServerHandshake.selectSubprotocol(List.of("chat"), request), negotiatedExtensions));
 *     case HandshakeRejection rejection -> { write(ServerHandshake.reject(rejection)); close(); }
 * }
 * }</pre>
 *
 * <p>Stateless, thread-safe, no I/O. Bad requests never throw: they are a {@link HandshakeRejection}. The
 * methods that write responses throw {@link IllegalArgumentException} only for arguments from the
 * application that would produce a broken response (a subprotocol that is not a token, a value with CR or
 * LF); they never echo request bytes into a header.
 */
public final class ServerHandshake {

    /** The outcome of {@link #validate}: {@link Accepted}, or a {@link HandshakeRejection} to send. */
    public sealed interface Verdict permits Accepted, HandshakeRejection {}

    /**
     * The request is a valid WebSocket handshake.
     *
     * @param key its {@code Sec-WebSocket-Key}, for {@link #accept}
     */
    public record Accepted(String key) implements Verdict {

        public Accepted {
            Objects.requireNonNull(key, "key");
        }
    }

    private static final byte[] SWITCHING_PROTOCOLS = ("HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: ").getBytes(StandardCharsets.US_ASCII);

    // RFC 9110 §15.5.22: "A server that sends a 426 (Upgrade Required) response MUST send an Upgrade header field".
    private static final Headers UPGRADE_TO_WEBSOCKET = Headers.of("Upgrade", "websocket");
    // RFC 6455 §4.4: a server refusing the version lists the versions it speaks.
    private static final Headers VERSION_13 = Headers.of("Upgrade", "websocket", "Sec-WebSocket-Version", "13");
    // RFC 9110 §15.5.6: "The origin server MUST generate an Allow header field in a 405 response".
    private static final Headers ALLOW_GET = Headers.of("Allow", "GET");

    private static final List<String> OWNED_BY_101 = List.of("Upgrade", "Connection", "Sec-WebSocket-Accept",
            "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Sec-WebSocket-Version",
            // RFC 9110 §8.6, RFC 9112 §6.1: neither goes in a 1xx response.
            "Content-Length", "Transfer-Encoding");

    private ServerHandshake() {}

    /**
     * Checks that {@code request} is a WebSocket opening handshake (RFC 6455 §4.2.1), in this order, and
     * answers the first failure with:
     * <ol>
     *   <li>a version other than HTTP/1.x: 505 HTTP Version Not Supported; HTTP/1.0: 400 (§4.1 needs
     *       HTTP/1.1);</li>
     *   <li>no {@code Host}, more than one, or one that is not {@code host[:port]}: 400 (RFC 9112 §3.2
     *       requires exactly that answer);</li>
     *   <li>a method other than GET: 405 Method Not Allowed with {@code Allow: GET} (RFC 9110 §15.5.6; the
     *       resource exists, only the method is wrong);</li>
     *   <li>a body ({@code Transfer-Encoding}, or a {@code Content-Length} other than 0): 400, because the
     *       bytes after the head are taken as WebSocket frames, and a body there is an attempt to smuggle
     *       them past whatever reads HTTP in front of us;</li>
     *   <li>no {@code Upgrade} header with the token {@code websocket}: 426 Upgrade Required with
     *       {@code Upgrade: websocket} (RFC 9110 §15.5.22: exactly what 426 means);</li>
     *   <li>no {@code Upgrade} token in {@code Connection}: 400;</li>
     *   <li>{@code Sec-WebSocket-Version} more than once: 400; missing or not {@code 13}: 426 with
     *       {@code Sec-WebSocket-Version: 13} (§4.4), so that a client of an older draft learns what to
     *       speak;</li>
     *   <li>{@code Sec-WebSocket-Key} missing, more than once (§11.3.1) or not the base64 of 16 bytes:
     *       400.</li>
     * </ol>
     * Header names and the {@code websocket} and {@code Upgrade} tokens compare ignoring case; the method is
     * case-sensitive (RFC 9110 §9.1). {@code Origin} is the application's to check (§10.2), as is the path.
     */
    public static Verdict validate(UpgradeRequest request) {
        Headers headers = request.headers();
        String version = request.version();
        if (!UpgradeRequestParser.isHttpVersion(version) || version.charAt(5) != '1') {
            return new HandshakeRejection(505, "HTTP version " + HttpSyntax.quote(version) + " is not supported: a"
                    + " WebSocket handshake is an HTTP/1.1 request (RFC 6455 §4.1)");
        }
        if (version.charAt(7) == '0') {
            return new HandshakeRejection(400, "HTTP/1.0 request: a WebSocket handshake needs HTTP/1.1 or later"
                    + " (RFC 6455 §4.1)");
        }
        int hostField = onlyField(headers, "Host");
        if (hostField < 0) {
            return new HandshakeRejection(400, hostField == NONE
                    ? "no Host header; every HTTP/1.1 request names its host (RFC 9112 §3.2)"
                    : "Host header appears " + headers.count("Host") + " times; send it once (RFC 9112 §3.2)");
        }
        String host = headers.value(hostField);
        if (!HttpSyntax.isHostAndPort(host, 0, host.length())) {
            return new HandshakeRejection(400, "Host " + HttpSyntax.quote(host) + " is not host[:port] (RFC 9110 §7.2)");
        }
        if (!request.method().equals("GET")) {
            return new HandshakeRejection(405, "method " + HttpSyntax.quote(request.method())
                    + ": a WebSocket handshake is a GET request (RFC 6455 §4.1)", ALLOW_GET);
        }
        if (headers.contains("Transfer-Encoding")) {
            return new HandshakeRejection(400, "Transfer-Encoding on a handshake: a handshake has no body, the"
                    + " bytes after it are WebSocket frames");
        }
        for (int i = headers.indexOf("Content-Length", 0); i >= 0; i = headers.indexOf("Content-Length", i + 1)) {
            String length = headers.value(i);
            if (!length.equals("0")) {
                return new HandshakeRejection(400, "Content-Length " + HttpSyntax.quote(length) + " on a handshake:"
                        + " a handshake has no body, the bytes after it are WebSocket frames");
            }
        }
        if (!headers.hasToken("Upgrade", "websocket")) {
            return new HandshakeRejection(426, headers.contains("Upgrade")
                    ? "Upgrade " + HttpSyntax.quote(String.join(", ", headers.all("Upgrade")))
                            + " does not offer websocket, the only protocol this endpoint speaks (RFC 6455 §4.2.1)"
                    : "this endpoint speaks only WebSocket: send Upgrade: websocket and Connection: Upgrade"
                            + " (RFC 6455 §4.2.1)", UPGRADE_TO_WEBSOCKET);
        }
        if (!headers.hasToken("Connection", "Upgrade")) {
            return new HandshakeRejection(400, headers.contains("Connection")
                    ? "Connection " + HttpSyntax.quote(String.join(", ", headers.all("Connection")))
                            + " lacks the token Upgrade, which must come with Upgrade: websocket (RFC 6455 §4.2.1)"
                    : "no Connection header; a handshake sends Connection: Upgrade (RFC 6455 §4.2.1)");
        }
        int versionField = onlyField(headers, "Sec-WebSocket-Version");
        if (versionField == MORE_THAN_ONE) {
            return new HandshakeRejection(400, "Sec-WebSocket-Version appears " + headers.count("Sec-WebSocket-Version")
                    + " times; send it once (RFC 6455 §11.3.5)");
        }
        String wsVersion = versionField == NONE ? null : headers.value(versionField);
        if (!"13".equals(wsVersion)) {
            return new HandshakeRejection(426, (wsVersion == null
                    ? "no Sec-WebSocket-Version header"
                    : "Sec-WebSocket-Version " + HttpSyntax.quote(wsVersion) + " is not supported")
                    + "; this server speaks version 13 (RFC 6455 §4.4)", VERSION_13);
        }
        int keyField = onlyField(headers, "Sec-WebSocket-Key");
        if (keyField < 0) {
            return new HandshakeRejection(400, keyField == NONE
                    ? "no Sec-WebSocket-Key header (RFC 6455 §4.2.1)"
                    : "Sec-WebSocket-Key appears " + headers.count("Sec-WebSocket-Key") + " times; send it once"
                            + " (RFC 6455 §11.3.1)");
        }
        String key = headers.value(keyField);
        if (!WebSocketKey.isValid(key)) {
            return new HandshakeRejection(400, "Sec-WebSocket-Key " + HttpSyntax.quote(key) + " "
                    + WebSocketKey.problem(key));
        }
        return new Accepted(key);
    }

    private static final int NONE = -1;
    private static final int MORE_THAN_ONE = -2;

    /** The index of the one field named {@code name}, {@link #NONE} or {@link #MORE_THAN_ONE}: in one scan. */
    private static int onlyField(Headers headers, String name) {
        int first = headers.indexOf(name, 0);
        return first < 0 ? NONE : headers.indexOf(name, first + 1) < 0 ? first : MORE_THAN_ONE;
    }

    /**
     * The subprotocol to answer with (RFC 6455 §4.2.2, /subprotocol/): the first of {@code supported}, the
     * server's order of preference, that the client offers in {@code Sec-WebSocket-Protocol} (the RFC leaves
     * the choice to the server; it must be one the client offered), compared exactly, as browsers compare the
     * answer; or null when there is none, and the response then names none.
     */
    public static String selectSubprotocol(List<String> supported, UpgradeRequest request) {
        List<String> offered = request.headers().tokens("Sec-WebSocket-Protocol");
        for (String candidate : supported) {
            if (offered.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** {@link #accept(String, String, String, Headers)} with no extra header fields. */
    public static byte[] accept(String key, String subprotocol, String extensions) {
        return accept(key, subprotocol, extensions, Headers.EMPTY);
    }

    /**
     * The 101 Switching Protocols response (RFC 6455 §4.2.2): {@code Upgrade: websocket},
     * {@code Connection: Upgrade}, {@code Sec-WebSocket-Accept} computed from {@code key}, then the
     * subprotocol, the extensions and {@code extraHeaders} (cookies, say) when given.
     *
     * @param key the {@link Accepted#key()} of the request
     * @param subprotocol the selected subprotocol, or null for none
     * @param extensions the accepted extensions with their parameters, as the value of
     *     {@code Sec-WebSocket-Extensions} ({@code "permessage-deflate; server_no_context_takeover"}), or null
     *     or "" for none
     * @throws IllegalArgumentException when {@code key} is not a valid key, {@code subprotocol} is not a token,
     *     {@code extensions} is not a valid header value, or {@code extraHeaders} holds a field this method
     *     writes (or one a 101 must not carry: {@code Content-Length}, {@code Transfer-Encoding})
     */
    public static byte[] accept(String key, String subprotocol, String extensions, Headers extraHeaders) {
        if (!WebSocketKey.isValid(key)) {
            throw new IllegalArgumentException("Sec-WebSocket-Key " + (key == null ? "null" : HttpSyntax.quote(key))
                    + " is not valid; pass the key of the Accepted verdict of ServerHandshake.validate");
        }
        if (subprotocol != null && !HttpSyntax.isToken(subprotocol)) {
            throw new IllegalArgumentException("subprotocol " + HttpSyntax.quote(subprotocol)
                    + " is not a token (RFC 6455 §4.1); select it from what the client offered");
        }
        if (extensions != null && extensions.isEmpty()) {
            extensions = null;
        }
        if (extensions != null) {
            String problem = HttpSyntax.fieldValueProblem(extensions);
            if (problem != null) {
                throw new IllegalArgumentException("Sec-WebSocket-Extensions value has " + problem);
            }
        }
        for (String owned : OWNED_BY_101) {
            if (extraHeaders.contains(owned)) {
                throw new IllegalArgumentException(owned + " cannot be an extra header of a 101 response: "
                        + (owned.startsWith("Content") || owned.startsWith("Transfer")
                                ? "a 1xx response has no body (RFC 9110 §8.6)"
                                : "ServerHandshake.accept writes it"));
            }
        }
        int size = SWITCHING_PROTOCOLS.length + WebSocketKey.ACCEPT_LENGTH + 2
                + (subprotocol == null ? 0 : "Sec-WebSocket-Protocol: ".length() + subprotocol.length() + 2)
                + (extensions == null ? 0 : "Sec-WebSocket-Extensions: ".length() + extensions.length() + 2)
                + HeadWriter.size(extraHeaders) + 2;
        HeadWriter out = new HeadWriter(size).bytes(SWITCHING_PROTOCOLS).bytes(WebSocketKey.acceptBytes(key)).crlf();
        if (subprotocol != null) {
            out.header("Sec-WebSocket-Protocol", subprotocol);
        }
        if (extensions != null) {
            out.header("Sec-WebSocket-Extensions", extensions);
        }
        return out.headers(extraHeaders).crlf().toByteArray();
    }

    /**
     * The error response for {@code rejection}: its status line, {@code Content-Type: text/plain;
     * charset=utf-8}, {@code Content-Length}, {@code Connection: close} ({@code Upgrade, close} when the
     * rejection names an {@code Upgrade}, as RFC 9110 §7.8 asks), {@code X-Content-Type-Options: nosniff}, the
     * rejection's headers, and the reason and a newline as the body. Close the connection once it is written.
     */
    public static byte[] reject(HandshakeRejection rejection) {
        byte[] body = (rejection.reason() + "\n").getBytes(StandardCharsets.UTF_8);
        Headers extra = rejection.headers();
        return new HeadWriter(192 + HeadWriter.size(extra) + body.length)
                .text("HTTP/1.1 ").text(Integer.toString(rejection.status())).text(" ").text(rejection.reasonPhrase())
                .crlf()
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Content-Length", Integer.toString(body.length))
                .header("Connection", extra.contains("Upgrade") ? "Upgrade, close" : "close")
                // The body may quote the request; a browser must not sniff it into HTML.
                .header("X-Content-Type-Options", "nosniff")
                .headers(extra)
                .crlf()
                .bytes(body)
                .toByteArray();
    }
}
