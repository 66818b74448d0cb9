package dev.websock.server;

import static dev.websock.server.ServerAssertions.assertFailedWith;
import static dev.websock.server.ServerAssertions.assertStillServes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 6455 §7: the closing handshake, always completed, and the server closes TCP (§7.1.1). */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.websock.server.ServerUnderTest#transports")
class Rfc6455Section7_ClosingTest {
    @Parameter
    ServerUnderTest.Kind kind;

    private ServerUnderTest fixture;
    private final RecordingHandler echo = new RecordingHandler(true);
    private final RecordingHandler closer = new RecordingHandler(false) {
        @Override
        public void onText(Session session, String text) {
            super.onText(session, text);
            session.close(4000, "bye");
        }
    };

    @BeforeEach
    void start() {
        fixture = ServerUnderTest.start(kind, builder -> builder
                .route("/echo", echo)
                .route("/closer", closer)
                .route("/flood", new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        // More than any socket buffers hold, then a close frame queued behind it.
                        for (int i = 0; i < 128; i++) {
                            session.sendBinary(java.nio.ByteBuffer.allocate(64 * 1024));
                        }
                        session.close(4000, "flooded");
                    }
                })
                .closeTimeout(Duration.ofMillis(300)));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aCloseFrameIsAnsweredWithItsCodeAndThenTheServerClosesTcp() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendText("hi");
            assertEquals("hi", client.read().text());
            client.sendClose(1000, "");
            RawClient.Frame reply = client.read();
            assertEquals(8, reply.opcode());
            assertEquals(1000, reply.closeCode());
            assertTrue(client.serverClosedTcp(), "the server must close TCP after the closing handshake");
        }
    }

    @Test
    void theHandlerLearnsThePeersCodeAndReason() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendClose(4321, "see you");
            assertEquals(4321, client.read().closeCode());
            assertTrue(client.serverClosedTcp());
        }
        assertEquals(4321, echo.awaitCloseCode());
    }

    @Test
    void case_7_3_1_anEmptyCloseFrameIsAnsweredWithAnEmptyOne() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.send(true, 0, 8, new byte[0]);
            RawClient.Frame reply = client.read();
            assertEquals(8, reply.opcode());
            assertEquals(0, reply.payload().length);
            assertTrue(client.serverClosedTcp());
        }
        assertEquals(1005, echo.awaitCloseCode(), "no status received (RFC 6455 §7.1.5)");
    }

    @Test
    void case_7_1_6_dataAfterTheCloseFrameIsIgnored() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendClose(1000, "");
            client.sendText("ignored");
            RawClient.Frame reply = client.read();
            assertEquals(8, reply.opcode());
            assertTrue(client.serverClosedTcp());
        }
        assertEquals(1000, echo.awaitCloseCode());
        assertTrue(echo.events.stream().noneMatch(event -> event.startsWith("text:")), echo.events.toString());
    }

    @Test
    void aServerCloseWaitsForTheClientsCloseThenClosesTcp() throws Exception {
        try (RawClient client = fixture.connect("/closer")) {
            client.sendText("close please");
            RawClient.Frame close = client.read();
            assertEquals(8, close.opcode());
            assertEquals(4000, close.closeCode());
            assertEquals("bye", ServerAssertions.reasonOf(close));
            client.sendClose(4000, "");
            assertTrue(client.serverClosedTcp());
        }
        assertEquals(4000, closer.awaitCloseCode());
    }

    @Test
    void aClientThatNeverAnswersCloseIsDisconnectedAfterTheCloseTimeout() throws Exception {
        try (RawClient client = fixture.connect("/closer")) {
            client.sendText("close please");
            assertEquals(8, client.read().opcode());
            assertTrue(client.serverClosedTcp(), "closed within the read timeout, far above the 300 ms close timeout");
        }
        assertEquals(4000, closer.awaitCloseCode(), "the handler hears the code it closed with");
        Await.until("the connection to be released", () -> fixture.server().connectionCount() == 0);
    }

    @Test
    void aClientThatNeitherReadsNorAnswersCloseIsReleasedSoonAfterTheCloseTimeout() throws Exception {
        // The SPI's graceful close waits for the peer to take what is queued; a peer that never reads would hold
        // the connection (and a place under maxConnections) for the transport's linger, or for ever in memory.
        try (RawClient client = fixture.raw(4096)) {
            RawClient.upgrade(client, "/flood");
            client.pauseReading();
            client.sendText("flood me");
            Await.until("the connection to be released", () -> fixture.server().connectionCount() == 0,
                    () -> "(" + fixture.server().connectionCount() + " open)");
        }
    }

    @Test
    void aClientThatDropsTcpWithoutClosingGives1006() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendText("hi");
            assertEquals("hi", client.read().text());
        }
        assertEquals(1006, echo.awaitCloseCode());
        Await.until("the connection to be released", () -> fixture.server().connectionCount() == 0);
    }

    @Test
    void case_7_3_2_aCloseFrameWithAOneBytePayloadFailsWith1002() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.send(true, 0, 8, new byte[] {0x03});
            assertFailedWith(client, 1002);
        }
        assertEquals(1002, echo.awaitCloseCode());
        assertStillServes(fixture, "/echo");
    }

    @Test
    void case_7_9_closeCodesNobodyMaySendFailWith1002() throws Exception {
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            try (RawClient client = fixture.connect("/echo")) {
                client.send(true, 0, 8, new byte[] {(byte) (code >> 8), (byte) code});
                assertFailedWith(client, 1002);
            }
        }
        assertStillServes(fixture, "/echo");
    }

    @Test
    void case_7_7_closeCodesThatMayBeSentAreEchoed() throws Exception {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}) {
            try (RawClient client = fixture.connect("/echo")) {
                client.sendClose(code, "");
                RawClient.Frame reply = client.read();
                assertEquals(code, reply.closeCode());
                assertTrue(client.serverClosedTcp());
            }
        }
    }

    @Test
    void case_7_5_1_aCloseReasonThatIsNotUtf8FailsWith1007() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.send(true, 0, 8, new byte[] {0x03, (byte) 0xE8, (byte) 0xCE, (byte) 0xBA, (byte) 0xF4, (byte) 0x90});
            assertFailedWith(client, 1007);
        }
    }

    @Test
    void case_2_5_aCloseFrameOf126BytesFailsWith1002() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            byte[] payload = new byte[126];
            payload[0] = 0x03;
            payload[1] = (byte) 0xE8;
            java.util.Arrays.fill(payload, 2, 126, (byte) 'a');
            client.send(true, 0, 8, payload);
            assertFailedWith(client, 1002);
        }
    }

    @Test
    void aReasonOf123BytesIsEchoedIntact() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendClose(1000, "r".repeat(123));
            RawClient.Frame reply = client.read();
            assertEquals(1000, reply.closeCode());
            assertTrue(client.serverClosedTcp());
        }
    }

    @Test
    void theSessionRefusesCloseCodesAndReasonsItMayNotSend() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            Session session = echo.awaitOpen();
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> session.close(1005, ""));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> session.close(1006, ""));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> session.close(1000, "é".repeat(62)));
            assertTrue(session.isOpen(), "a refused close leaves the session open");
            client.sendText("still open");
            assertEquals("still open", client.read().text());
        }
    }

    @Test
    void afterTheClosingHandshakeSendsFailTheirCallbackAndSendNothing() throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> failure = new java.util.concurrent.CompletableFuture<>();
        try (RawClient client = fixture.connect("/echo")) {
            Session session = echo.awaitOpen();
            client.sendClose(1000, "");
            assertEquals(8, client.read().opcode());
            Await.until("the session to close", () -> !session.isOpen());
            session.sendText("too late", new SendCallback() {
                @Override
                public void completed(Session s) {
                    failure.complete(null);
                }

                @Override
                public void failed(Session s, Throwable cause) {
                    failure.complete(cause);
                }
            });
            Throwable cause = failure.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(cause != null, "a send after close must fail");
            assertNull(client.readOrEnd(), "nothing after the close frame");
        }
    }
}
