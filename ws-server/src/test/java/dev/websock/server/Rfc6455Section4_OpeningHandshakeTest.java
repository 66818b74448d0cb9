package dev.websock.server;

import static dev.websock.server.ServerAssertions.assertRejectedWith;
import static dev.websock.server.ServerAssertions.assertStillServes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 §4.2: the opening handshake. A request that is not an acceptable upgrade gets the right HTTP/1.1
 * status with a reason, then the server closes TCP; the origin policy (§10.2) and the interceptor can refuse;
 * what the interceptor accepts with, the path, the query and the subprotocol reach the session.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.websock.server.ServerUnderTest#transports")
class Rfc6455Section4_OpeningHandshakeTest {
    @Parameter
    ServerUnderTest.Kind kind;

    private ServerUnderTest fixture;
    private final RecordingHandler echo = new RecordingHandler(true);

    @BeforeEach
    void start() {
        fixture = ServerUnderTest.start(kind, builder -> builder
                .route("/echo", echo)
                .route("/request-later", new RequestReporter())
                .subprotocols("chat.v2", "chat.v1")
                .interceptor(request -> {
                    if (request.header("X-Fail") != null) {
                        throw new IllegalStateException("the interceptor broke");
                    }
                    String token = request.cookie("token");
                    if (token != null && !token.equals("letmein")) {
                        return HandshakeDecision.reject(401, "a valid token cookie is required");
                    }
                    return HandshakeDecision.accept(Map.of("user", token == null ? "anonymous" : "alice"));
                })
                .handshakeTimeout(Duration.ofMillis(300)));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Sends {@code request} raw and checks the status, the reason body and the TCP close; then the server still serves. */
    private void assertRawRequestGets(int status, String request) throws Exception {
        try (RawClient client = fixture.raw()) {
            client.sendRaw(request.getBytes(StandardCharsets.ISO_8859_1));
            assertRejectedWith(client, status, client.readHead());
        }
        assertStillServes(fixture, "/echo");
    }

    private void assertUpgradeGets(int status, String path, String... headers) throws Exception {
        try (RawClient client = fixture.raw()) {
            assertRejectedWith(client, status, client.handshake(path, headers));
        }
        assertStillServes(fixture, "/echo");
    }

    private static String key() {
        return Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aValidHandshakeGets101WithTheAcceptKeyOfSection4_2_2() throws Exception {
        try (RawClient client = fixture.raw()) {
            // RFC 6455 §1.3's example key and its accept value.
            client.sendRaw(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = client.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), head);
            assertFalse(head.toLowerCase().contains("sec-websocket-protocol"), "no subprotocol was offered: " + head);
            assertFalse(head.toLowerCase().contains("sec-websocket-extensions"), "deflate is off: " + head);
            client.sendText("hi");
            assertEquals("hi", client.read().text());
        }
    }

    @Test
    void anUnknownPathGets404() throws Exception {
        assertUpgradeGets(404, "/nowhere");
    }

    @Test
    void aCrossSiteOriginGets403UnderTheDefaultSameOriginPolicy() throws Exception {
        assertUpgradeGets(403, "/echo", "Origin: https://evil.example");
    }

    @Test
    void theOpaqueOriginNullGets403() throws Exception {
        assertUpgradeGets(403, "/echo", "Origin: null");
    }

    @Test
    void aSameOriginRequestIsUpgraded() throws Exception {
        try (RawClient client = fixture.connect("/echo", "Origin: http://localhost")) {
            client.sendText("same origin");
            assertEquals("same origin", client.read().text());
        }
    }

    @Test
    void theInterceptorsRejectionGetsItsStatus() throws Exception {
        assertUpgradeGets(401, "/echo", "Cookie: token=wrong");
    }

    @Test
    void anInterceptorThatThrowsGets500() throws Exception {
        assertUpgradeGets(500, "/echo", "X-Fail: yes");
    }

    @Test
    void theInterceptorsAttributesPathAndQueryReachTheSession() throws Exception {
        try (RawClient client = fixture.connect("/echo?room=42&x=%20y", "Cookie: a=b; token=letmein")) {
            Session session = echo.awaitOpen();
            assertEquals("alice", session.attribute("user"));
            assertEquals("/echo", session.path());
            assertEquals("room=42&x=%20y", session.query());
            assertEquals("letmein", echo.openRequests.getFirst().cookie("token"));
            assertEquals(kind.scheme.equals("wss"), session.isSecure());
            session.attribute("user", null);
            assertNull(session.attribute("user"));
        }
    }

    @Test
    void theHandshakeRequestIsGivenUpWhenOnOpenReturnsWithAReasonThatSaysHowToKeepIt() throws Exception {
        try (RawClient client = fixture.connect("/request-later", "X-Trace: 7")) {
            client.sendText("request?");
            String answer = new String(client.read().payload(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("given up: "), answer);
            assertTrue(answer.contains("retainHandshakeRequest(true)"), answer);
        }
    }

    @Test
    void aServerThatRetainsHandshakeRequestsKeepsThemForTheWholeSession() throws Exception {
        try (ServerUnderTest retaining = ServerUnderTest.start(kind, builder -> builder
                .route("/request-later", new RequestReporter())
                .retainHandshakeRequest(true));
                RawClient client = retaining.connect("/request-later", "X-Trace: 7")) {
            client.sendText("request?");
            assertEquals("X-Trace: 7", new String(client.read().payload(), StandardCharsets.UTF_8));
        }
    }

    /** Answers each text with the request's X-Trace header as seen after onOpen, or why it cannot. */
    private static final class RequestReporter implements WebSocketHandler {
        @Override
        public void onOpen(Session session) {
            session.request(); // available here either way
        }

        @Override
        public void onText(Session session, String text) {
            try {
                session.sendText("X-Trace: " + session.request().header("X-Trace"));
            } catch (IllegalStateException givenUp) {
                session.sendText("given up: " + givenUp.getMessage());
            }
        }
    }

    @Test
    void theServersMostPreferredSubprotocolAmongTheOfferedIsSelected() throws Exception {
        try (RawClient client = fixture.connect("/echo", "Sec-WebSocket-Protocol: chat.v1, chat.v2, other")) {
            assertTrue(client.responseHead.contains("Sec-WebSocket-Protocol: chat.v2\r\n"), client.responseHead);
            assertEquals("chat.v2", echo.awaitOpen().subprotocol());
        }
    }

    @Test
    void anOfferWithNoServedSubprotocolIsUpgradedWithoutOne() throws Exception {
        try (RawClient client = fixture.connect("/echo", "Sec-WebSocket-Protocol: mqtt")) {
            assertFalse(client.responseHead.toLowerCase().contains("sec-websocket-protocol"), client.responseHead);
            assertNull(echo.awaitOpen().subprotocol());
        }
    }

    @Test
    void aPermessageDeflateOfferIsDeclinedWhenDeflateIsOff() throws Exception {
        try (RawClient client = fixture.connect("/echo", "Sec-WebSocket-Extensions: permessage-deflate")) {
            assertFalse(client.responseHead.toLowerCase().contains("sec-websocket-extensions"), client.responseHead);
            assertEquals(java.util.List.of(), echo.awaitOpen().extensions());
        }
    }

    @Test
    void aPlainHttpRequestGets426() throws Exception {
        assertRawRequestGets(426, "GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }

    @Test
    void anUnsupportedWebSocketVersionGets426() throws Exception {
        try (RawClient client = fixture.raw()) {
            client.sendRaw(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key() + "\r\nSec-WebSocket-Version: 8\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = client.readHead();
            assertTrue(head.contains("Sec-WebSocket-Version: 13"), "§4.4: the versions served are named: " + head);
            assertRejectedWith(client, 426, head);
        }
        assertStillServes(fixture, "/echo");
    }

    @Test
    void aMissingKeyGets400() throws Exception {
        assertRawRequestGets(400, "GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
    }

    @Test
    void aKeyThatIsNot16BytesGets400() throws Exception {
        assertRawRequestGets(400, "GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }

    @Test
    void aMissingHostGets400() throws Exception {
        assertRawRequestGets(400, "GET /echo HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key() + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }

    @Test
    void aPostGets405() throws Exception {
        assertRawRequestGets(405, "POST /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key() + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }

    @Test
    void anHttp10RequestGets400() throws Exception {
        assertRawRequestGets(400, "GET /echo HTTP/1.0\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key() + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }

    @Test
    void garbageGets400() throws Exception {
        assertRawRequestGets(400, "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003 not http\r\n\r\n");
    }

    @Test
    void oversizedHeadersGet431() throws Exception {
        assertUpgradeGets(431, "/echo", "X-Big: " + "a".repeat(9000));
    }

    @Test
    void aClientThatNeverFinishesItsHandshakeGets408AndIsDisconnected() throws Exception {
        try (RawClient client = fixture.raw()) {
            client.sendRaw("GET /echo HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.US_ASCII));
            assertRejectedWith(client, 408, client.readHead());
        }
        assertStillServes(fixture, "/echo");
        Await.until("the slow client to be released", () -> fixture.server().connectionCount() == 0);
    }

    @Test
    void aClientThatSendsNothingGets408() throws Exception {
        try (RawClient client = fixture.raw()) {
            assertRejectedWith(client, 408, client.readHead());
        }
    }

    @Test
    void framesSentRightBehindTheRequestAreRead() throws Exception {
        try (RawClient client = fixture.raw()) {
            byte[] request = ("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key() + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] frame = RawClient.frame(true, 0, 1, "eager".getBytes(StandardCharsets.UTF_8), true);
            byte[] both = new byte[request.length + frame.length];
            System.arraycopy(request, 0, both, 0, request.length);
            System.arraycopy(frame, 0, both, request.length, frame.length);
            client.sendRaw(both);
            assertTrue(client.readHead().startsWith("HTTP/1.1 101 "), client.responseHead);
            assertEquals("eager", client.read().text());
        }
    }
}
