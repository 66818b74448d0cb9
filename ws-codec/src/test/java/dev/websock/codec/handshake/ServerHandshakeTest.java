package dev.websock.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ServerHandshake}, grouped like RFC 6455. */
class ServerHandshakeTest {

    /**
     * RFC 6455 §1.3 and §4.2.2: Sec-WebSocket-Accept is base64(SHA-1(key + GUID)). The vectors come from three
     * independent sources: the RFC, a real server's answer to Autobahn, and the example Wikipedia uses.
     */
    @Nested
    class Rfc6455Section1_3_OpeningHandshakeExample {

        @Test
        void rfcExampleKeyGivesTheRfcExampleAccept() {
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketKey.accept("dGhlIHNhbXBsZSBub25jZQ=="));
        }

        @Test
        void autobahnKeyGivesTheAcceptARealServerSentIt() {
            assertEquals("528KhPst2t2hCuoYg9/auVIwb2A=", WebSocketKey.accept("R5cs4WZOrWEihqhuEIGAjA=="));
        }

        @Test
        void wikipediaExampleKeyGivesItsAccept() {
            assertEquals("HSmrc0sMlYUkAGmm5OPpG2HaGWk=", WebSocketKey.accept("x3JJHMbDL1EzLkh9GBhXDw=="));
        }

        @Test
        void rfcExampleRequestIsAnsweredWithTheRfcExampleResponseByteForByte() {
            UpgradeRequest request = Wire.request(
                    "GET /chat HTTP/1.1",
                    "Host: server.example.com",
                    "Upgrade: websocket",
                    "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "Origin: http://example.com",
                    "Sec-WebSocket-Protocol: chat, superchat",
                    "Sec-WebSocket-Version: 13");
            ServerHandshake.Accepted accepted = assertInstanceOf(ServerHandshake.Accepted.class,
                    ServerHandshake.validate(request));
            String subprotocol = ServerHandshake.selectSubprotocol(java.util.List.of("chat"), request);

            byte[] response = ServerHandshake.accept(accepted.key(), subprotocol, null);

            assertEquals(Wire.head(
                    "HTTP/1.1 101 Switching Protocols",
                    "Upgrade: websocket",
                    "Connection: Upgrade",
                    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                    "Sec-WebSocket-Protocol: chat"), Wire.latin1(response));
        }

        @Test
        void autobahnRequestIsAcceptedWithTheAcceptAutobahnExpects() {
            ServerHandshake.Accepted accepted = assertInstanceOf(ServerHandshake.Accepted.class, Wire.verdict(Wire.AUTOBAHN));

            UpgradeResponse response = Wire.response(ServerHandshake.accept(accepted.key(), null, null));

            assertEquals("528KhPst2t2hCuoYg9/auVIwb2A=", response.header("sec-websocket-accept"));
        }
    }

    /** RFC 6455 §4.2.1: what a server requires of the client's handshake, and the answer when it is not met. */
    @Nested
    class Rfc6455Section4_2_1_ReadingTheClientsOpeningHandshake {

        private static String keyOf(String... lines) {
            return assertInstanceOf(ServerHandshake.Accepted.class, Wire.verdict(lines)).key();
        }

        private static HandshakeRejection rejectionOf(String... lines) {
            return assertInstanceOf(HandshakeRejection.class, Wire.verdict(lines));
        }

        private static void assertRejected(int status, String reasonPart, String... lines) {
            HandshakeRejection rejection = rejectionOf(lines);
            assertEquals(status, rejection.status(), rejection::reason);
            assertTrue(rejection.reason().contains(reasonPart), () -> rejection.reason() + " should mention " + reasonPart);
        }

        @Nested
        class RealClients {

            @Test
            void chromeHandshakeIsAccepted() {
                assertEquals("dGhlIHNhbXBsZSBub25jZQ==", keyOf(Wire.CHROME));
                UpgradeRequest request = Wire.request(Wire.CHROME);
                assertEquals("/chat", request.path());
                assertEquals("room=42", request.query());
                assertEquals("example.com", request.authority());
                assertEquals("https://example.com", request.header("origin"));
                assertEquals(List.of("permessage-deflate; client_max_window_bits"),
                        request.headers().tokens("Sec-WebSocket-Extensions"));
            }

            @Test
            void firefoxHandshakeWithKeepAliveAndUpgradeInConnectionIsAccepted() {
                assertEquals("x3JJHMbDL1EzLkh9GBhXDw==", keyOf(Wire.FIREFOX));
                assertEquals(List.of("keep-alive", "Upgrade"), Wire.request(Wire.FIREFOX).headers().tokens("Connection"));
            }

            @Test
            void autobahnHandshakeWithCapitalisedWebSocketUpgradeIsAccepted() {
                assertEquals("R5cs4WZOrWEihqhuEIGAjA==", keyOf(Wire.AUTOBAHN));
            }

            @Test
            void handshakeWithOnlyTheRequiredFieldsIsAccepted() {
                assertEquals("dGhlIHNhbXBsZSBub25jZQ==", keyOf(Wire.MINIMAL));
            }
        }

        @Nested
        class CaseOfNamesAndTokens {

            @Test
            void lowerCaseHeaderNamesAreAccepted() {
                keyOf("GET / HTTP/1.1", "host: a", "upgrade: websocket", "connection: upgrade",
                        "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version: 13");
            }

            @Test
            void upperCaseHeaderNamesAndTokensAreAccepted() {
                keyOf("GET / HTTP/1.1", "HOST: a", "UPGRADE: WEBSOCKET", "CONNECTION: UPGRADE",
                        "SEC-WEBSOCKET-KEY: dGhlIHNhbXBsZSBub25jZQ==", "SEC-WEBSOCKET-VERSION: 13");
            }

            @Test
            void mixedCaseTokensAreAccepted() {
                keyOf(Wire.replace(Wire.replace(Wire.MINIMAL, "Upgrade:", "Upgrade: wEbSoCkEt"),
                        "Connection:", "Connection: uPgRaDe"));
            }

            @Test
            void upgradeListingWebsocketAmongOthersIsAccepted() {
                keyOf(Wire.replace(Wire.MINIMAL, "Upgrade:", "Upgrade: h2c, websocket"));
            }

            @Test
            void connectionTokenInASecondConnectionFieldIsAccepted() {
                keyOf(Wire.plus(Wire.replace(Wire.MINIMAL, "Connection:", "Connection: keep-alive"), "Connection: Upgrade"));
            }

            @Test
            void lowerCaseMethodIsNotGet() {
                // RFC 9110 §9.1: methods are case-sensitive.
                HandshakeRejection rejection = rejectionOf(Wire.replace(Wire.MINIMAL, "GET", "get / HTTP/1.1"));
                assertEquals(405, rejection.status());
            }
        }

        @Nested
        class HttpVersionAndMethod {

            @Test
            void http10IsRefusedWith400() {
                assertRejected(400, "HTTP/1.1", Wire.replace(Wire.MINIMAL, "GET", "GET / HTTP/1.0"));
            }

            @Test
            void laterHttp1MinorVersionIsAccepted() {
                // RFC 9110 §2.5: a recipient treats a higher minor version as the highest it knows.
                keyOf(Wire.replace(Wire.MINIMAL, "GET", "GET / HTTP/1.2"));
            }

            @Test
            void http2VersionInAnHttp1RequestIsRefusedWith505() {
                assertRejected(505, "HTTP/2.0", Wire.replace(Wire.MINIMAL, "GET", "GET / HTTP/2.0"));
            }

            @ParameterizedTest
            @ValueSource(strings = {"POST", "PUT", "HEAD", "OPTIONS", "CONNECT", "DELETE"})
            void otherMethodsAreRefusedWith405AllowingGet(String method) {
                HandshakeRejection rejection = rejectionOf(Wire.replace(Wire.MINIMAL, "GET", method + " / HTTP/1.1"));
                assertEquals(405, rejection.status());
                assertEquals("GET", rejection.headers().first("Allow"));
            }

            @Test
            void requestWithABodyIsRefused() {
                assertRejected(400, "Content-Length", Wire.plus(Wire.MINIMAL, "Content-Length: 5"));
                assertRejected(400, "Transfer-Encoding", Wire.plus(Wire.MINIMAL, "Transfer-Encoding: chunked"));
            }

            @Test
            void contentLengthZeroIsAccepted() {
                keyOf(Wire.plus(Wire.MINIMAL, "Content-Length: 0"));
            }
        }

        @Nested
        class Host {

            @Test
            void missingHostIsRefusedWith400() {
                assertRejected(400, "no Host", Wire.replace(Wire.MINIMAL, "Host:", null));
            }

            @Test
            void twoHostFieldsAreRefusedWith400() {
                assertRejected(400, "2 times", Wire.plus(Wire.MINIMAL, "Host: evil.example"));
            }

            @ParameterizedTest
            @ValueSource(strings = {"", "a b", "user@example.com", "example.com/path", "example.com:80:80", "[::1",
                    "example.com:65536", "example.com:x"})
            void malformedHostIsRefusedWith400(String host) {
                assertRejected(400, "host[:port]", Wire.replace(Wire.MINIMAL, "Host:", "Host: " + host));
            }

            @ParameterizedTest
            @ValueSource(strings = {"example.com", "example.com:8080", "127.0.0.1:9001", "[::1]:443", "[2001:db8::7]",
                    "xn--bcher-kva.example", "localhost:"})
            void wellFormedHostIsAccepted(String host) {
                keyOf(Wire.replace(Wire.MINIMAL, "Host:", "Host: " + host));
            }
        }

        @Nested
        class UpgradeAndConnection {

            @Test
            void plainGetWithoutUpgradeIsAnswered426WithUpgradeWebsocket() {
                HandshakeRejection rejection = rejectionOf(Wire.replace(Wire.MINIMAL, "Upgrade:", null));
                assertEquals(426, rejection.status());
                assertEquals("websocket", rejection.headers().first("Upgrade"));
            }

            @Test
            void upgradeToAnotherProtocolIsAnswered426() {
                assertRejected(426, "h2c", Wire.replace(Wire.MINIMAL, "Upgrade:", "Upgrade: h2c"));
            }

            @Test
            void websocketAsPartOfALongerTokenIsNotWebsocket() {
                assertRejected(426, "does not offer websocket", Wire.replace(Wire.MINIMAL, "Upgrade:", "Upgrade: websockets"));
            }

            @Test
            void missingConnectionIsRefusedWith400() {
                assertRejected(400, "no Connection", Wire.replace(Wire.MINIMAL, "Connection:", null));
            }

            @Test
            void connectionWithoutUpgradeTokenIsRefusedWith400() {
                assertRejected(400, "lacks the token Upgrade", Wire.replace(Wire.MINIMAL, "Connection:", "Connection: keep-alive"));
            }
        }

        @Nested
        class Version {

            @ParameterizedTest
            @ValueSource(strings = {"8", "7", "12", "14", "13, 8", "013", "thirteen"})
            void versionOtherThan13IsAnswered426WithVersion13(String version) {
                HandshakeRejection rejection = rejectionOf(
                        Wire.replace(Wire.MINIMAL, "Sec-WebSocket-Version:", "Sec-WebSocket-Version: " + version));
                assertEquals(426, rejection.status());
                assertEquals("13", rejection.headers().first("Sec-WebSocket-Version"));
                assertEquals("websocket", rejection.headers().first("Upgrade"));
            }

            @Test
            void missingVersionIsAnswered426WithVersion13() {
                HandshakeRejection rejection = rejectionOf(Wire.replace(Wire.MINIMAL, "Sec-WebSocket-Version:", null));
                assertEquals(426, rejection.status());
                assertEquals("13", rejection.headers().first("Sec-WebSocket-Version"));
            }

            @Test
            void versionSentTwiceIsRefusedWith400() {
                assertRejected(400, "Sec-WebSocket-Version appears 2 times", Wire.plus(Wire.MINIMAL, "Sec-WebSocket-Version: 13"));
            }
        }

        @Nested
        class Key {

            @Test
            void missingKeyIsRefusedWith400() {
                assertRejected(400, "no Sec-WebSocket-Key", Wire.replace(Wire.MINIMAL, "Sec-WebSocket-Key:", null));
            }

            @Test
            void keySentTwiceIsRefusedWith400() {
                assertRejected(400, "Sec-WebSocket-Key appears 2 times",
                        Wire.plus(Wire.MINIMAL, "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw=="));
            }

            @Test
            void sameKeySentTwiceIsRefusedToo() {
                assertRejected(400, "appears 2 times", Wire.plus(Wire.MINIMAL, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));
            }

            @ParameterizedTest
            @ValueSource(strings = {
                "AAAAAAAAAAAAAAAAAAAA", // 15 bytes, no padding
                "AAAAAAAAAAAAAAAAAAAAAAA=", // 17 bytes
                "AAAAAAAAAAAAAAAAAAAAAAAA", // 18 bytes
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", // 32 bytes
                "", // 0 bytes
            })
            void keyThatIsNotSixteenBytesIsRefusedWith400(String key) {
                assertRejected(400, "decodes to", Wire.replace(Wire.MINIMAL, "Sec-WebSocket-Key:", "Sec-WebSocket-Key: " + key));
            }

            @Test
            void sixteenBytesWithoutPaddingAreRefusedWith400() {
                assertRejected(400, "lacks the == padding",
                        Wire.replace(Wire.MINIMAL, "Sec-WebSocket-Key:", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ"));
            }

            @ParameterizedTest
            @ValueSource(strings = {"dGhlIHNhbXBsZSBub25jZQ=!", "dGhlIHNhbXBsZSBub25j*Q==", "dGhlIHNhbXBsZSBub25jZ===",
                    "dGhlIHNhbXBsZ SBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ-_", "not a key"})
            void keyThatIsNotBase64IsRefusedWith400(String key) {
                assertRejected(400, "is not base64", Wire.replace(Wire.MINIMAL, "Sec-WebSocket-Key:", "Sec-WebSocket-Key: " + key));
            }

            @Test
            void keyWithSpacesAroundIsTrimmedAndAccepted() {
                assertEquals("dGhlIHNhbXBsZSBub25jZQ==",
                        keyOf(Wire.replace(Wire.MINIMAL, "Sec-WebSocket-Key:", "Sec-WebSocket-Key: \t dGhlIHNhbXBsZSBub25jZQ== \t")));
            }
        }

        @Nested
        class Order {

            @Test
            void theFirstFailedCheckIsReported() {
                // Missing Host and a wrong version: Host comes first.
                String[] lines = Wire.replace(Wire.replace(Wire.MINIMAL, "Host:", null), "Sec-WebSocket-Version:",
                        "Sec-WebSocket-Version: 8");
                assertRejected(400, "no Host", lines);
            }

            @Test
            void wrongVersionIsReportedBeforeABadKeySoAnOldClientLearnsWhatToSpeak() {
                String[] lines = Wire.replace(Wire.replace(Wire.MINIMAL, "Sec-WebSocket-Key:", "Sec-WebSocket-Key: abc"),
                        "Sec-WebSocket-Version:", "Sec-WebSocket-Version: 8");
                assertRejected(426, "version 13", lines);
            }
        }
    }

    /** RFC 6455 §4.2.2: the 101 response, the subprotocol choice, and the error responses. */
    @Nested
    class Rfc6455Section4_2_2_SendingTheServersOpeningHandshake {

        private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
        private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

        @Nested
        class SwitchingProtocols {

            @Test
            void acceptWithoutOptionsIsTheFourRequiredLines() {
                assertEquals(Wire.head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
                        "Sec-WebSocket-Accept: " + ACCEPT), Wire.latin1(ServerHandshake.accept(KEY, null, null)));
            }

            @Test
            void acceptNamesTheSubprotocolAndExtensionsAndExtraHeadersInThatOrder() {
                byte[] response = ServerHandshake.accept(KEY, "chat", "permessage-deflate; server_no_context_takeover",
                        Headers.of("Set-Cookie", "id=1; HttpOnly"));
                assertEquals(Wire.head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
                        "Sec-WebSocket-Accept: " + ACCEPT, "Sec-WebSocket-Protocol: chat",
                        "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover",
                        "Set-Cookie: id=1; HttpOnly"), Wire.latin1(response));
            }

            @Test
            void emptyExtensionsMeanNone() {
                assertEquals(Wire.latin1(ServerHandshake.accept(KEY, null, null)), Wire.latin1(ServerHandshake.accept(KEY, null, "")));
            }

            @ParameterizedTest
            @ValueSource(strings = {"", "chat room", "chat,room", "chat\r\nSet-Cookie: x=1", "\"chat\""})
            void subprotocolThatIsNotATokenIsRefused(String subprotocol) {
                assertThrows(IllegalArgumentException.class, () -> ServerHandshake.accept(KEY, subprotocol, null));
            }

            @Test
            void extensionsWithALineBreakAreRefused() {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ServerHandshake.accept(KEY, null, "permessage-deflate\r\nSet-Cookie: x=1"));
                assertTrue(e.getMessage().contains("control character"), e.getMessage());
            }

            @Test
            void invalidKeyIsRefused() {
                assertThrows(IllegalArgumentException.class, () -> ServerHandshake.accept("short", null, null));
                assertThrows(IllegalArgumentException.class, () -> ServerHandshake.accept(null, null, null));
            }

            @ParameterizedTest
            @ValueSource(strings = {"Upgrade", "connection", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol",
                    "Sec-WebSocket-Extensions", "Content-Length", "Transfer-Encoding"})
            void extraHeaderThatTheResponseOwnsIsRefused(String name) {
                assertThrows(IllegalArgumentException.class,
                        () -> ServerHandshake.accept(KEY, null, null, Headers.of(name, "x")));
            }

            @Test
            void responseEndsRightAfterTheEmptyLineSoFramesCanFollow() {
                byte[] response = ServerHandshake.accept(KEY, "chat", null);
                UpgradeResponseParser parser = new UpgradeResponseParser();
                byte[] withFrame = Arrays.copyOf(response, response.length + 2);
                withFrame[response.length] = (byte) 0x81;
                ByteBuffer in = ByteBuffer.wrap(withFrame);
                assertEquals(ParserState.DONE, parser.parse(in));
                assertEquals(response.length, in.position());
            }
        }

        @Nested
        class Subprotocol {

            private final UpgradeRequest request = Wire.request(Wire.plus(Wire.MINIMAL,
                    "Sec-WebSocket-Protocol: v2.chat, v1.chat", "Sec-WebSocket-Protocol: , mqtt"));

            @Test
            void theServersFirstPreferenceThatTheClientOffersIsSelected() {
                assertEquals("v1.chat", ServerHandshake.selectSubprotocol(List.of("v1.chat", "v2.chat"), request));
                assertEquals("v2.chat", ServerHandshake.selectSubprotocol(List.of("v2.chat", "v1.chat"), request));
            }

            @Test
            void offersInLaterFieldsCount() {
                assertEquals("mqtt", ServerHandshake.selectSubprotocol(List.of("mqtt"), request));
            }

            @Test
            void subprotocolsCompareExactly() {
                assertNull(ServerHandshake.selectSubprotocol(List.of("V2.CHAT"), request));
            }

            @Test
            void noneIsSelectedWhenNothingMatchesOrNothingIsOffered() {
                assertNull(ServerHandshake.selectSubprotocol(List.of("stomp"), request));
                assertNull(ServerHandshake.selectSubprotocol(List.of("chat"), Wire.request(Wire.MINIMAL)));
            }
        }

        @Nested
        class ErrorResponses {

            @Test
            void rejectionIsAPlainTextResponseThatClosesTheConnection() {
                HandshakeRejection rejection = new HandshakeRejection(400, "no Host header");
                assertEquals(Wire.head("HTTP/1.1 400 Bad Request", "Content-Type: text/plain; charset=utf-8",
                        "Content-Length: 15", "Connection: close", "X-Content-Type-Options: nosniff")
                        + "no Host header\n", Wire.latin1(ServerHandshake.reject(rejection)));
            }

            @Test
            void versionRejectionNamesVersion13AndTheUpgradeInConnection() {
                HandshakeRejection rejection = (HandshakeRejection) Wire.verdict(
                        Wire.replace(Wire.MINIMAL, "Sec-WebSocket-Version:", "Sec-WebSocket-Version: 8"));
                UpgradeResponse response = Wire.response(ServerHandshake.reject(rejection));
                assertEquals(426, response.status());
                assertEquals("Upgrade Required", response.reasonPhrase());
                assertEquals("13", response.header("Sec-WebSocket-Version"));
                assertEquals("websocket", response.header("Upgrade"));
                // RFC 9110 §7.8: a sender of Upgrade lists it in Connection.
                assertEquals(List.of("Upgrade", "close"), response.headers().tokens("Connection"));
            }

            @Test
            void methodRejectionAllowsGet() {
                HandshakeRejection rejection = (HandshakeRejection) Wire.verdict(
                        Wire.replace(Wire.MINIMAL, "GET", "POST / HTTP/1.1"));
                UpgradeResponse response = Wire.response(ServerHandshake.reject(rejection));
                assertEquals(405, response.status());
                assertEquals("GET", response.header("Allow"));
                assertEquals("close", response.header("Connection"));
            }

            @Test
            void contentLengthCountsTheUtf8BytesOfTheBody() {
                byte[] bytes = ServerHandshake.reject(new HandshakeRejection(403, "Origin “evil” is not allowed"));
                String text = new String(bytes, StandardCharsets.UTF_8);
                String body = text.substring(text.indexOf("\r\n\r\n") + 4);
                UpgradeResponse response = Wire.response(Arrays.copyOf(bytes, text.indexOf("\r\n\r\n") + 4));
                assertEquals("Origin “evil” is not allowed\n", body);
                assertEquals(Integer.toString(body.getBytes(StandardCharsets.UTF_8).length), response.header("Content-Length"));
                assertEquals("Forbidden", response.reasonPhrase());
            }

            @Test
            void statusWithoutAKnownPhraseKeepsTheSpaceBeforeTheEmptyPhrase() {
                byte[] bytes = ServerHandshake.reject(new HandshakeRejection(499, "client closed"));
                assertTrue(Wire.latin1(bytes).startsWith("HTTP/1.1 499 \r\n"));
            }

            @ParameterizedTest
            @ValueSource(ints = {101, 200, 302, 399, 600})
            void rejectionStatusMustBeAnError(int status) {
                assertThrows(IllegalArgumentException.class, () -> new HandshakeRejection(status, "x"));
            }

            @ParameterizedTest
            @ValueSource(strings = {"Content-Type", "content-length", "Connection", "Transfer-Encoding"})
            void rejectionCannotCarryTheFieldsRejectWrites(String name) {
                assertThrows(IllegalArgumentException.class, () -> new HandshakeRejection(400, "x", Headers.of(name, "y")));
            }

            @Test
            void reasonQuotingTheRequestEscapesControlAndNonAsciiBytes() {
                HandshakeRejection rejection = (HandshakeRejection) Wire.verdict(
                        Wire.replace(Wire.MINIMAL, "Sec-WebSocket-Version:", "Sec-WebSocket-Version: \u00ff<script>"));
                assertTrue(rejection.reason().contains("\"\\xff<script>\""), rejection.reason());
            }
        }
    }
}
