package dev.websock.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ClientHandshake}, grouped like RFC 6455. */
class ClientHandshakeTest {

    /** RFC 6455 §4.1: the client's request, and what it must check in the server's answer. */
    @Nested
    class Rfc6455Section4_1_ClientRequirements {

        private static ClientHandshake handshake(String uri) {
            return ClientHandshake.of(URI.create(uri));
        }

        private static UpgradeRequest sent(ClientHandshake handshake) {
            UpgradeRequestParser parser = new UpgradeRequestParser();
            assertEquals(ParserState.DONE, parser.parse(java.nio.ByteBuffer.wrap(handshake.request())));
            return parser.request();
        }

        @Nested
        class TheRequest {

            @Test
            void requestIsTheRequiredLinesWithTheKey() {
                ClientHandshake handshake = handshake("ws://example.com/chat");
                assertEquals(Wire.head("GET /chat HTTP/1.1", "Host: example.com", "Upgrade: websocket",
                        "Connection: Upgrade", "Sec-WebSocket-Key: " + handshake.key(), "Sec-WebSocket-Version: 13"),
                        Wire.latin1(handshake.request()));
            }

            @Test
            void keyIsSixteenFreshRandomBytesInBase64() {
                String first = handshake("ws://example.com/").key();
                String second = handshake("ws://example.com/").key();
                assertEquals(16, Base64.getDecoder().decode(first).length);
                assertEquals(24, first.length());
                assertNotEquals(first, second);
            }

            @Test
            void keyComesFromTheGivenGenerator() {
                ClientHandshake a = ClientHandshake.of(URI.create("ws://h/"), List.of(), null, Headers.EMPTY, new SplittableRandom(7));
                ClientHandshake b = ClientHandshake.of(URI.create("ws://h/"), List.of(), null, Headers.EMPTY, new SplittableRandom(7));
                assertEquals(a.key(), b.key());
            }

            @ParameterizedTest
            @CsvSource({
                "ws://example.com,              /,              example.com",
                "ws://example.com:80/a,         /a,             example.com",
                "ws://example.com:443/a,        /a,             example.com:443",
                "wss://example.com:443/a,       /a,             example.com",
                "wss://example.com:8443/a?b=c,  /a?b=c,         example.com:8443",
                "WS://Example.COM/x,            /x,             Example.COM",
                "ws://127.0.0.1:9001/,          /,              127.0.0.1:9001",
                "ws://[::1]:9001/p,             /p,             [::1]:9001",
                "ws://example.com?q,            /?q,            example.com",
                "ws://example.com/a%20b?x=%2F,  /a%20b?x=%2F,   example.com",
            })
            void targetAndHostComeFromTheUriWithThePortOnlyWhenNotTheDefault(String uri, String target, String host) {
                UpgradeRequest request = sent(handshake(uri));
                assertEquals(target, request.target());
                assertEquals(host, request.header("Host"));
            }

            @Test
            void nonAsciiPathIsPercentEncodedAsUtf8() {
                assertEquals("/caf%C3%A9", sent(ClientHandshake.of(URI.create("ws://example.com/café"))).target());
            }

            @Test
            void subprotocolsExtensionsAndExtraHeadersAreSent() {
                UpgradeRequest request = sent(ClientHandshake.of(URI.create("wss://example.com/chat"), List.of("v2.chat", "v1.chat"),
                        "permessage-deflate; client_max_window_bits", Headers.of("Origin", "https://example.com")));
                assertEquals(List.of("v2.chat", "v1.chat"), request.headers().tokens("Sec-WebSocket-Protocol"));
                assertEquals("permessage-deflate; client_max_window_bits", request.header("Sec-WebSocket-Extensions"));
                assertEquals("https://example.com", request.header("Origin"));
                assertInstanceOf(ServerHandshake.Accepted.class, ServerHandshake.validate(request));
            }

            @ParameterizedTest
            @ValueSource(strings = {"http://example.com/", "example.com/chat", "ws://example.com/#frag",
                    "ws://user:pw@example.com/", "ws:///path", "ws:opaque"})
            void uriThatCannotBeAWebSocketUriIsRefused(String uri) {
                assertThrows(IllegalArgumentException.class, () -> handshake(uri));
            }

            @Test
            void internationalHostMustBeConvertedFirst() {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> handshake("ws://bücher.example/"));
                assertTrue(e.getMessage().contains("IDN.toASCII"), e.getMessage());
            }

            @Test
            void subprotocolsMustBeDistinctTokens() {
                URI uri = URI.create("ws://h/");
                assertThrows(IllegalArgumentException.class, () -> ClientHandshake.of(uri, List.of("a", "a"), null, Headers.EMPTY));
                assertThrows(IllegalArgumentException.class, () -> ClientHandshake.of(uri, List.of("a b"), null, Headers.EMPTY));
                assertThrows(IllegalArgumentException.class, () -> ClientHandshake.of(uri, List.of(""), null, Headers.EMPTY));
            }

            @ParameterizedTest
            @ValueSource(strings = {"Host", "upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
                    "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Content-Length", "Transfer-Encoding"})
            void extraHeaderThatTheHandshakeOwnsIsRefused(String name) {
                assertThrows(IllegalArgumentException.class,
                        () -> ClientHandshake.of(URI.create("ws://h/"), List.of(), null, Headers.of(name, "x")));
            }
        }

        @Nested
        class TheResponse {

            private final ClientHandshake handshake = ClientHandshake.of(URI.create("ws://example.com/chat"),
                    List.of("v2.chat", "v1.chat"), "permessage-deflate; client_max_window_bits, x-webkit-deflate-frame",
                    Headers.EMPTY);
            private final String accept = WebSocketKey.accept(handshake.key());

            private String[] ok() {
                return new String[] {"HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Accept: " + accept};
            }

            private String failure(String... lines) {
                return assertThrows(HandshakeException.class, () -> handshake.validate(Wire.response(lines))).getMessage();
            }

            @Test
            void correctResponseIsAcceptedWithNoSubprotocolAndNoExtensions() throws HandshakeException {
                ClientHandshake.Negotiated negotiated = handshake.validate(Wire.response(ok()));
                assertNull(negotiated.subprotocol());
                assertEquals(List.of(), negotiated.extensions());
            }

            @Test
            void selectedSubprotocolAndAcceptedExtensionsAreReported() throws HandshakeException {
                ClientHandshake.Negotiated negotiated = handshake.validate(Wire.response(Wire.plus(ok(),
                        "Sec-WebSocket-Protocol: v1.chat",
                        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10")));
                assertEquals("v1.chat", negotiated.subprotocol());
                assertEquals(List.of("permessage-deflate; client_max_window_bits=10"), negotiated.extensions());
            }

            @Test
            void namesAndTokensOfTheResponseCompareIgnoringCase() throws HandshakeException {
                handshake.validate(Wire.response("HTTP/1.1 101 Switching Protocols", "upgrade: WebSocket",
                        "connection: keep-alive, UPGRADE", "sec-websocket-accept: " + accept));
            }

            @ParameterizedTest
            @ValueSource(strings = {"HTTP/1.1 200 OK", "HTTP/1.1 403 Forbidden", "HTTP/1.1 302 Found", "HTTP/1.1 426 Upgrade Required"})
            void statusOtherThan101IsAFailure(String statusLine) {
                String[] lines = ok();
                lines[0] = statusLine;
                assertTrue(failure(lines).contains("instead of 101"));
            }

            @Test
            void http10ResponseIsAFailure() {
                String[] lines = ok();
                lines[0] = "HTTP/1.0 101 Switching Protocols";
                assertTrue(failure(lines).contains("HTTP/1.0"));
            }

            @Test
            void wrongAcceptIsAFailure() {
                assertTrue(failure(Wire.replace(ok(), "Sec-WebSocket-Accept:",
                        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")).contains("the value for our key"));
            }

            @Test
            void missingOrRepeatedAcceptIsAFailure() {
                assertTrue(failure(Wire.replace(ok(), "Sec-WebSocket-Accept:", null)).contains("no Sec-WebSocket-Accept"));
                assertTrue(failure(Wire.plus(ok(), "Sec-WebSocket-Accept: " + accept)).contains("appears 2 times"));
            }

            @Test
            void missingUpgradeIsAFailure() {
                assertTrue(failure(Wire.replace(ok(), "Upgrade:", null)).contains("no Upgrade"));
            }

            @ParameterizedTest
            @ValueSource(strings = {"Upgrade: h2c", "Upgrade: websocket, h2c", "Upgrade: websocket/13"})
            void upgradeOtherThanWebsocketIsAFailure(String upgrade) {
                assertTrue(failure(Wire.replace(ok(), "Upgrade:", upgrade)).contains("not websocket"));
            }

            @Test
            void connectionWithoutUpgradeIsAFailure() {
                assertTrue(failure(Wire.replace(ok(), "Connection:", "Connection: keep-alive")).contains("Connection"));
                assertTrue(failure(Wire.replace(ok(), "Connection:", null)).contains("Connection"));
            }

            @Test
            void unofferedSubprotocolIsAFailure() {
                assertTrue(failure(Wire.plus(ok(), "Sec-WebSocket-Protocol: v3.chat")).contains("did not offer"));
            }

            @Test
            void subprotocolInAnotherCaseIsNotTheOneOffered() {
                assertTrue(failure(Wire.plus(ok(), "Sec-WebSocket-Protocol: V1.CHAT")).contains("did not offer"));
            }

            @Test
            void subprotocolWhenNoneWasOfferedIsAFailure() throws HandshakeException {
                ClientHandshake plain = ClientHandshake.of(URI.create("ws://example.com/"));
                String[] lines = Wire.replace(ok(), "Sec-WebSocket-Accept:", "Sec-WebSocket-Accept: " + WebSocketKey.accept(plain.key()));
                plain.validate(Wire.response(lines));
                HandshakeException e = assertThrows(HandshakeException.class,
                        () -> plain.validate(Wire.response(Wire.plus(lines, "Sec-WebSocket-Protocol: chat"))));
                assertTrue(e.getMessage().contains("we offered none"), e.getMessage());
            }

            @Test
            void moreThanOneSubprotocolIsAFailure() {
                assertTrue(failure(Wire.plus(ok(), "Sec-WebSocket-Protocol: v1.chat, v2.chat")).contains("not one subprotocol"));
                assertTrue(failure(Wire.plus(ok(), "Sec-WebSocket-Protocol: v1.chat", "Sec-WebSocket-Protocol: v1.chat"))
                        .contains("not one subprotocol"));
            }

            @Test
            void unofferedExtensionIsAFailure() {
                assertTrue(failure(Wire.plus(ok(), "Sec-WebSocket-Extensions: permessage-bzip2")).contains("did not offer"));
                assertTrue(failure(Wire.plus(ok(), "Sec-WebSocket-Extensions: permessage-deflate",
                        "Sec-WebSocket-Extensions: foo; a=\"b,c\"")).contains("\"foo\""));
            }

            @Test
            void secondOfferedExtensionMayBeAccepted() throws HandshakeException {
                assertEquals(List.of("x-webkit-deflate-frame"),
                        handshake.validate(Wire.response(Wire.plus(ok(), "Sec-WebSocket-Extensions: x-webkit-deflate-frame")))
                                .extensions());
            }
        }
    }
}
