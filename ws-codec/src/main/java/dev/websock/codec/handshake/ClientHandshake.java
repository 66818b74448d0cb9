package dev.websock.codec.handshake;

import dev.websock.codec.http.HttpSyntax;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1): the request to send, with a fresh key, and the
 * check of the server's answer.
 *
 * <pre>{@code
 * ClientHandshake handshake = ClientHandshake.of(URI.create("wss://example.com/chat"), List.of("chat"),
 *         "permessage-deflate; client_max_window_bits", Headers.of("Origin", "https://example.com"));
 * write(handshake.request());
 * UpgradeResponseParser parser = new UpgradeResponseParser();
 * while (parser.parse(read()) == ParserState.NEED_MORE) {}
 * if (parser.state() == ParserState.FAILED) throw new HandshakeException(parser.failureReason());
 * ClientHandshake.Negotiated negotiated = handshake.validate(parser.response());
 * }</pre>
 *
 * <p>Immutable and thread-safe; one per connection attempt, since each has its own key. Arguments that would
 * produce a broken request throw {@link IllegalArgumentException}; a bad answer from the server is a
 * {@link HandshakeException}, never an unchecked exception.
 */
public final class ClientHandshake {

    /** What the server agreed to: the subprotocol (null for none) and the accepted extension elements. */
    public record Negotiated(String subprotocol, List<String> extensions) {

        public Negotiated {
            extensions = List.copyOf(extensions);
        }
    }

    private static final List<String> OWNED = List.of("Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
            "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
            // A handshake has no body: what follows it is frames.
            "Content-Length", "Transfer-Encoding");

    private final String key;
    private final List<String> subprotocols;
    private final List<String> offeredExtensions;
    private final byte[] request;

    private ClientHandshake(String key, List<String> subprotocols, List<String> offeredExtensions, byte[] request) {
        this.key = key;
        this.subprotocols = subprotocols;
        this.offeredExtensions = offeredExtensions;
        this.request = request;
    }

    /** A handshake for {@code uri} with no subprotocols, extensions or extra headers. */
    public static ClientHandshake of(URI uri) {
        return of(uri, List.of(), null, Headers.EMPTY);
    }

    /** {@link #of(URI, List, String, Headers, RandomGenerator)} with a key from a {@link SecureRandom}. */
    public static ClientHandshake of(URI uri, List<String> subprotocols, String extensionOffers, Headers extraHeaders) {
        return of(uri, subprotocols, extensionOffers, extraHeaders, Keys.RANDOM);
    }

    /**
     * A handshake for {@code uri} (RFC 6455 §4.1).
     *
     * @param uri a {@code ws} or {@code wss} URI with an ASCII host (use {@link java.net.IDN#toASCII} for
     *     others), no user info and no fragment; its path and query become the request target, and its host,
     *     with the port when it is not the scheme's default, the {@code Host} header
     * @param subprotocols the subprotocols to offer, most wanted first; distinct tokens; may be empty
     * @param extensionOffers the {@code Sec-WebSocket-Extensions} value to offer, or null or "" for none
     * @param extraHeaders more fields, such as {@code Origin}, {@code Authorization} or {@code Cookie}; not
     *     the ones the handshake writes itself
     * @param keys where the 16 random bytes of the key come from; a {@link SecureRandom} unless testing
     * @throws IllegalArgumentException for a URI, subprotocol, offer or header that cannot be sent as is
     */
    public static ClientHandshake of(URI uri, List<String> subprotocols, String extensionOffers, Headers extraHeaders,
            RandomGenerator keys) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(keys, "keys");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("URI " + uri + " is not a ws:// or wss:// URI (RFC 6455 §3)");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("URI " + uri + " has a fragment, which a WebSocket URI must not have"
                    + " (RFC 6455 §3); remove the #...");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("URI " + uri + " has user info, which a handshake cannot carry; send"
                    + " credentials in an Authorization header instead");
        }
        // toASCIIString percent-encodes any non-ASCII character of the path and query as UTF-8.
        URI ascii = URI.create(uri.toASCIIString());
        String host = ascii.getHost();
        if (host == null || !HttpSyntax.isHostAndPort(host, 0, host.length())) {
            throw new IllegalArgumentException("URI " + uri + " has no ASCII host; convert an international name"
                    + " with java.net.IDN.toASCII");
        }
        int port = ascii.getPort();
        int defaultPort = scheme.equals("wss") ? 443 : 80;
        String hostHeader = port == -1 || port == defaultPort ? host : host + ":" + port;
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();

        List<String> protocols = List.copyOf(subprotocols);
        if (new HashSet<>(protocols).size() != protocols.size()) {
            throw new IllegalArgumentException("subprotocols " + protocols + " repeat one; each is offered once"
                    + " (RFC 6455 §4.1)");
        }
        for (String protocol : protocols) {
            if (!HttpSyntax.isToken(protocol)) {
                throw new IllegalArgumentException("subprotocol " + HttpSyntax.quote(protocol)
                        + " is not a token (RFC 6455 §4.1: visible ASCII, no separators)");
            }
        }
        if (extensionOffers != null && extensionOffers.isEmpty()) {
            extensionOffers = null;
        }
        List<String> offeredExtensions = List.of();
        if (extensionOffers != null) {
            String problem = HttpSyntax.fieldValueProblem(extensionOffers);
            if (problem != null) {
                throw new IllegalArgumentException("Sec-WebSocket-Extensions offer has " + problem);
            }
            offeredExtensions = extensionNames(extensionOffers);
        }
        Objects.requireNonNull(extraHeaders, "extraHeaders");
        for (String owned : OWNED) {
            if (extraHeaders.contains(owned)) {
                throw new IllegalArgumentException(owned + " cannot be an extra header: "
                        + (owned.startsWith("Content") || owned.startsWith("Transfer")
                                ? "a handshake has no body" : "ClientHandshake writes it"));
            }
        }

        String key = WebSocketKey.generate(keys);
        HeadWriter out = new HeadWriter(256 + target.length() + HeadWriter.size(extraHeaders)
                + (extensionOffers == null ? 0 : extensionOffers.length()))
                .text("GET ").text(target).text(" HTTP/1.1").crlf()
                .header("Host", hostHeader)
                .header("Upgrade", "websocket")
                .header("Connection", "Upgrade")
                .header("Sec-WebSocket-Key", key)
                .header("Sec-WebSocket-Version", "13");
        if (!protocols.isEmpty()) {
            out.header("Sec-WebSocket-Protocol", String.join(", ", protocols));
        }
        if (extensionOffers != null) {
            out.header("Sec-WebSocket-Extensions", extensionOffers);
        }
        byte[] request = out.headers(extraHeaders).crlf().toByteArray();
        return new ClientHandshake(key, protocols, offeredExtensions, request);
    }

    /** The {@code Sec-WebSocket-Key} this handshake sends. */
    public String key() {
        return key;
    }

    /** The request to send, a fresh copy each call. */
    public byte[] request() {
        return request.clone();
    }

    /**
     * Checks the server's answer as RFC 6455 §4.1 requires of a client, and says what was agreed.
     *
     * @throws HandshakeException when the status is not 101 (a redirect or a 401 included: the caller decides
     *     whether to follow it), the version is not HTTP/1.1, {@code Upgrade} is not {@code websocket},
     *     {@code Connection} lacks {@code Upgrade}, {@code Sec-WebSocket-Accept} is missing, repeated or not
     *     the one for our key, an extension was not offered, or the subprotocol was not offered or is not one
     */
    public Negotiated validate(UpgradeResponse response) throws HandshakeException {
        Headers headers = response.headers();
        if (response.status() != 101) {
            throw new HandshakeException("the server answered " + response.status() + " "
                    + HttpSyntax.quote(response.reasonPhrase()) + " instead of 101 Switching Protocols");
        }
        String version = response.version();
        if (!UpgradeRequestParser.isHttpVersion(version) || version.charAt(5) != '1' || version.charAt(7) == '0') {
            throw new HandshakeException("the server answered in " + HttpSyntax.quote(version) + "; a handshake is"
                    + " HTTP/1.1 (RFC 6455 §4.1)");
        }
        List<String> upgrade = headers.tokens("Upgrade");
        if (upgrade.size() != 1 || !upgrade.getFirst().equalsIgnoreCase("websocket")) {
            throw new HandshakeException(upgrade.isEmpty() ? "the 101 response has no Upgrade header (RFC 6455 §4.1)"
                    : "the 101 response upgrades to " + HttpSyntax.quote(String.join(", ", upgrade))
                            + ", not websocket (RFC 6455 §4.1)");
        }
        if (!headers.hasToken("Connection", "Upgrade")) {
            throw new HandshakeException("the 101 response's Connection header lacks the token Upgrade (RFC 6455 §4.1)");
        }
        int accepts = headers.count("Sec-WebSocket-Accept");
        if (accepts != 1) {
            throw new HandshakeException(accepts == 0 ? "the 101 response has no Sec-WebSocket-Accept (RFC 6455 §4.1)"
                    : "Sec-WebSocket-Accept appears " + accepts + " times (RFC 6455 §11.3.3 allows one)");
        }
        String accept = headers.first("Sec-WebSocket-Accept");
        String expected = WebSocketKey.accept(key);
        if (!accept.equals(expected)) {
            throw new HandshakeException("Sec-WebSocket-Accept " + HttpSyntax.quote(accept) + " is not " + expected
                    + ", the value for our key: the server did not read our handshake, or something between"
                    + " us answered (RFC 6455 §4.1)");
        }

        List<String> extensions = headers.tokens("Sec-WebSocket-Extensions");
        for (String extension : extensions) {
            String name = extensionName(extension);
            if (offeredExtensions.stream().noneMatch(name::equalsIgnoreCase)) {
                throw new HandshakeException("the server accepted extension " + HttpSyntax.quote(name) + ", which we"
                        + " did not offer (RFC 6455 §4.1)");
            }
        }

        List<String> protocolFields = headers.all("Sec-WebSocket-Protocol");
        String subprotocol = null;
        if (!protocolFields.isEmpty()) {
            subprotocol = protocolFields.getFirst();
            if (protocolFields.size() > 1 || !HttpSyntax.isToken(subprotocol)) {
                throw new HandshakeException("the server selected " + HttpSyntax.quote(String.join(", ", protocolFields))
                        + ", which is not one subprotocol (RFC 6455 §4.2.2 selects one)");
            }
            if (!subprotocols.contains(subprotocol)) {
                throw new HandshakeException("the server selected subprotocol " + HttpSyntax.quote(subprotocol)
                        + ", which we did not offer " + (subprotocols.isEmpty() ? "(we offered none)" : subprotocols)
                        + " (RFC 6455 §4.1)");
            }
        }
        return new Negotiated(subprotocol, extensions);
    }

    private static List<String> extensionNames(String offers) {
        List<String> names = new ArrayList<>();
        for (String offer : Headers.of("Sec-WebSocket-Extensions", offers).tokens("Sec-WebSocket-Extensions")) {
            names.add(extensionName(offer));
        }
        return List.copyOf(names);
    }

    // RFC 6455 §9.1: extension = extension-token *( ";" extension-param ), extension-token a token.
    private static String extensionName(String extension) {
        int end = 0;
        while (end < extension.length() && HttpSyntax.isTchar(extension.charAt(end))) {
            end++;
        }
        return extension.substring(0, end);
    }

    // Created on first use: seeding a SecureRandom can take a while, and servers never need one here.
    private static final class Keys {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
