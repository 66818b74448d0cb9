package dev.websock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests that are not acceptable upgrades get a correct HTTP/1.1 error response, then the connection closes. */
class HandshakeRejectionTest {
    private WebSocketServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = WebSocketServer.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .route("/echo", new EchoHandler())
                .originPolicy(OriginPolicy.allowList(Set.of("https://good.example")))
                .interceptor(request -> "letmein".equals(request.cookie("token")) || request.header("Cookie") == null
                        ? HandshakeDecision.accept(java.util.Map.of("user", "alice"))
                        : HandshakeDecision.reject(401, "a valid token cookie is required"))
                .handshakeTimeout(Duration.ofMillis(300))
                .build()
                .start();
        address = (InetSocketAddress) server.localAddress();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String statusOf(String path, String... headers) throws Exception {
        try (RawClient client = new RawClient(address)) {
            String head = client.handshake(path, headers);
            String body = client.readBodyUntilClose();
            assertTrue(!body.isEmpty() || head.startsWith("HTTP/1.1 101"), "a reason in the body");
            return head.substring(0, head.indexOf("\r\n"));
        }
    }

    @Test
    void anUnknownPathGets404() throws Exception {
        assertEquals("HTTP/1.1 404 Not Found", statusOf("/nowhere"));
    }

    @Test
    void aDisallowedOriginGets403() throws Exception {
        assertEquals("HTTP/1.1 403 Forbidden", statusOf("/echo", "Origin: https://evil.example"));
    }

    @Test
    void theInterceptorCanReject() throws Exception {
        assertEquals("HTTP/1.1 401 Unauthorized", statusOf("/echo", "Cookie: token=wrong"));
    }

    @Test
    void anAllowedOriginWithAValidTokenIsUpgraded() throws Exception {
        try (RawClient client = new RawClient(address)) {
            String head = client.handshake("/echo", "Origin: https://good.example", "Cookie: token=letmein");
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
        }
    }

    @Test
    void aPlainHttpRequestGets426() throws Exception {
        try (RawClient client = new RawClient(address)) {
            client.sendRaw("GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = client.readHead();
            assertTrue(head.startsWith("HTTP/1.1 426"), head);
            client.readBodyUntilClose();
        }
    }

    @Test
    void oversizedHeadersGet431() throws Exception {
        String big = "X-Big: " + "a".repeat(9000);
        assertEquals("HTTP/1.1 431 Request Header Fields Too Large", statusOf("/echo", big));
    }

    @Test
    void aClientThatNeverFinishesItsHandshakeGets408() throws Exception {
        try (RawClient client = new RawClient(address)) {
            client.sendRaw("GET /echo HTTP/1.1\r\nHost: loc".getBytes(StandardCharsets.US_ASCII));
            String head = client.readHead();
            assertTrue(head.startsWith("HTTP/1.1 408"), head);
        }
    }
}
