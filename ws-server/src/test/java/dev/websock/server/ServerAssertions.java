package dev.websock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

/** What every bad-input test checks: the exact close code or status, the TCP close, and a server still serving. */
final class ServerAssertions {

    private ServerAssertions() {
    }

    /**
     * The server failed the connection with {@code code}: its next frame is a close frame with that code, and it
     * then closes TCP (RFC 6455 §7.1.1, §7.1.7) without waiting for our close frame.
     */
    static RawClient.Frame assertFailedWith(RawClient client, int code) throws IOException {
        RawClient.Frame close = client.read();
        assertEquals(8, close.opcode(), "expected a close frame, got opcode " + close.opcode());
        assertEquals(code, close.closeCode(), "close code; reason: " + reasonOf(close));
        assertTrue(client.serverClosedTcp(), "the server must close TCP after failing the connection");
        return close;
    }

    /** The server answered the handshake with {@code status}, a reason in the body, and closed TCP. */
    static void assertRejectedWith(RawClient client, int status, String head) throws IOException {
        assertTrue(head.startsWith("HTTP/1.1 " + status + " "), "expected " + status + ", got: " + head);
        String body = client.readBodyUntilClose(); // returns at the server's FIN; a timeout would throw
        assertTrue(!body.isBlank(), "a rejection carries its reason in the body");
    }

    /** Another connection to the same server is upgraded and echoes: one bad client disturbed nothing else. */
    static void assertStillServes(ServerUnderTest fixture, String echoPath) throws IOException {
        try (RawClient other = fixture.connect(echoPath)) {
            other.sendText("still there?");
            assertEquals("still there?", other.read().text());
        }
    }

    static String reasonOf(RawClient.Frame close) {
        return close.payload().length <= 2 ? "" : new String(close.payload(), 2, close.payload().length - 2,
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
