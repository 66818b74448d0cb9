package dev.websock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 6455 §7: the closing handshake, always completed, and the server closes TCP (§7.1.1). */
class Rfc6455Section7_ClosingTest {
    private WebSocketServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = WebSocketServer.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .route("/echo", new EchoHandler())
                .route("/closer", new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        session.close(4000, "bye");
                    }
                })
                .closeTimeout(Duration.ofMillis(300))
                .build()
                .start();
        address = (InetSocketAddress) server.localAddress();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aCloseFrameIsAnsweredWithItsCodeAndThenTheServerClosesTcp() throws Exception {
        try (RawClient client = RawClient.connect(address, "/echo")) {
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
    void anEmptyCloseFrameIsAnsweredWithAnEmptyOne() throws Exception {
        try (RawClient client = RawClient.connect(address, "/echo")) {
            client.send(true, 0, 8, new byte[0]);
            RawClient.Frame reply = client.read();
            assertEquals(8, reply.opcode());
            assertEquals(0, reply.payload().length);
            assertTrue(client.serverClosedTcp());
        }
    }

    @Test
    void case_7_1_6_dataAfterTheCloseFrameIsIgnored() throws Exception {
        try (RawClient client = RawClient.connect(address, "/echo")) {
            client.sendClose(1000, "");
            client.sendText("ignored");
            RawClient.Frame reply = client.read();
            assertEquals(8, reply.opcode());
            assertTrue(client.serverClosedTcp());
        }
    }

    @Test
    void aServerCloseWaitsForTheClientsCloseThenClosesTcp() throws Exception {
        try (RawClient client = RawClient.connect(address, "/closer")) {
            client.sendText("close please");
            RawClient.Frame close = client.read();
            assertEquals(8, close.opcode());
            assertEquals(4000, close.closeCode());
            client.sendClose(4000, "");
            assertTrue(client.serverClosedTcp());
        }
    }

    @Test
    void aClientThatNeverAnswersCloseIsDisconnectedAfterTheCloseTimeout() throws Exception {
        try (RawClient client = RawClient.connect(address, "/closer")) {
            client.sendText("close please");
            assertEquals(8, client.read().opcode());
            long start = System.nanoTime();
            assertTrue(client.serverClosedTcp());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos());
        }
    }

    @Test
    void aProtocolErrorFailsTheConnectionWith1002ThenClosesTcp() throws Exception {
        try (RawClient client = RawClient.connect(address, "/echo")) {
            client.send(true, 0, 3, new byte[0]); // reserved opcode
            RawClient.Frame close = client.read();
            assertEquals(8, close.opcode());
            assertEquals(1002, close.closeCode());
            client.sendClose(1002, "");
            assertTrue(client.serverClosedTcp());
        }
    }

    @Test
    void invalidUtf8FailsWith1007() throws Exception {
        try (RawClient client = RawClient.connect(address, "/echo")) {
            client.send(true, 0, 1, new byte[] {(byte) 0xCE, (byte) 0xBA, (byte) 0xF4, (byte) 0x90});
            RawClient.Frame close = client.read();
            assertEquals(1007, close.closeCode());
            assertTrue(client.serverClosedTcp());
        }
    }

    @Test
    void anUnmaskedFrameFailsWith1002() throws Exception {
        try (RawClient client = RawClient.connect(address, "/echo")) {
            client.sendRaw(RawClient.frame(true, 0, 1, "x".getBytes(), false));
            assertEquals(1002, client.read().closeCode());
            assertTrue(client.serverClosedTcp());
        }
    }
}
