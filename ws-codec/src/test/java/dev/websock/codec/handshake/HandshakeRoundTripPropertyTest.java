package dev.websock.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * RFC 6455 §4: both sides together. Whatever a {@link ClientHandshake} sends, a server accepts, and whatever
 * the server answers, the client accepts, with the subprotocol and extensions both agreed on; a frame sent
 * right after each head stays unread.
 */
class HandshakeRoundTripPropertyTest {

    private static final byte[] FRAME = IncrementalParsingPropertyTest.FRAME;

    @Provide
    Arbitrary<URI> uris() {
        Arbitrary<String> segments = Arbitraries.strings().withCharRange('a', 'z').withChars("-._~%20").ofMaxLength(8)
                .map(s -> s.replace("%", "%25")).list().ofMaxSize(4).map(l -> String.join("/", l));
        Arbitrary<String> queries = Arbitraries.strings().withCharRange('a', 'z').withChars("=&").ofMaxLength(12)
                .injectNull(0.3);
        Arbitrary<Integer> ports = Arbitraries.of(-1, 80, 443, 8080, 9001);
        return Combinators.combine(Arbitraries.of("ws", "wss"), Arbitraries.of("example.com", "127.0.0.1", "[::1]"),
                ports, segments, queries).as((scheme, host, port, path, query) -> URI.create(scheme + "://" + host
                + (port < 0 ? "" : ":" + port) + "/" + path + (query == null ? "" : "?" + query)));
    }

    @Property(tries = 200)
    void whatAClientSendsTheServerAcceptsAndWhatTheServerAnswersTheClientAccepts(@ForAll("uris") URI uri,
            @ForAll @Size(max = 3) List<@From("protocol") String> offered,
            @ForAll @Size(max = 3) List<@From("protocol") String> supported,
            @ForAll boolean offerDeflate, @ForAll @IntRange(min = 1, max = 64) int chunk) throws HandshakeException {
        List<String> distinct = offered.stream().distinct().toList();
        ClientHandshake client = ClientHandshake.of(uri, distinct,
                offerDeflate ? "permessage-deflate; client_max_window_bits" : null, Headers.of("Origin", "https://example.com"));

        byte[] request = client.request();
        Wire.Outcome parsed = Wire.parseInChunks(request, HandshakeLimits.DEFAULTS, Wire.sizes(request.length, chunk));
        assertSame(ParserState.DONE, parsed.state(), () -> String.valueOf(parsed.rejection()));
        UpgradeRequest serverView = parsed.request();
        String key = assertInstanceOf(ServerHandshake.Accepted.class, ServerHandshake.validate(serverView)).key();
        assertEquals(client.key(), key);
        String subprotocol = ServerHandshake.selectSubprotocol(supported, serverView);
        String extensions = serverView.headers().hasToken("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")
                ? "permessage-deflate; client_max_window_bits=12" : null;

        byte[] response = ServerHandshake.accept(key, subprotocol, extensions);
        byte[] onTheWire = Arrays.copyOf(response, response.length + FRAME.length);
        System.arraycopy(FRAME, 0, onTheWire, response.length, FRAME.length);
        UpgradeResponseParser responseParser = new UpgradeResponseParser();
        int at = 0;
        while (responseParser.state() == ParserState.NEED_MORE) {
            ByteBuffer piece = ByteBuffer.wrap(onTheWire, at, Math.min(chunk, onTheWire.length - at));
            responseParser.parse(piece);
            at = piece.position();
        }
        assertEquals(response.length, at);
        ClientHandshake.Negotiated negotiated = client.validate(responseParser.response());

        assertEquals(subprotocol, negotiated.subprotocol());
        assertEquals(extensions == null ? List.of() : List.of(extensions), negotiated.extensions());
        assertTrue(subprotocol == null || (distinct.contains(subprotocol) && supported.contains(subprotocol)));
        assertEquals(uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(), serverView.path());
        assertEquals(uri.getRawQuery(), serverView.query());
    }

    @Provide
    Arbitrary<String> protocol() {
        return Arbitraries.of("chat", "v1.chat", "v2.chat", "mqtt", "wamp.2.json", "graphql-ws");
    }

}
