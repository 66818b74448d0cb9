package dev.websock.server;

import static dev.websock.server.ServerAssertions.assertFailedWith;
import static dev.websock.server.ServerAssertions.assertRejectedWith;
import static dev.websock.server.ServerAssertions.assertStillServes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 §10.4 (implementation-specific limits) and the server's timers: frame and message size limits fail
 * with 1009 before the payload is taken, the connection limit answers 503, idle sessions are closed with 1001,
 * and keep-alive pings go out.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.websock.server.ServerUnderTest#transports")
class Rfc6455Section10_LimitsTest {
    @Parameter
    ServerUnderTest.Kind kind;

    private ServerUnderTest fixture;
    private final RecordingHandler echo = new RecordingHandler(true);

    private void start(Consumer<WebSocketServer.Builder> limits) {
        fixture = ServerUnderTest.start(kind, builder -> limits.accept(builder.route("/echo", echo)));
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void case_9_aFrameLongerThanMaxFrameSizeFailsWith1009FromItsHeaderAlone() throws Exception {
        start(builder -> builder.maxFrameSize(1000).maxMessageSize(10_000));
        try (RawClient client = fixture.connect("/echo")) {
            // Only the header: the server must not wait for (or buffer) a payload it will refuse.
            client.sendRaw(new byte[] {(byte) 0x82, (byte) 0xFE, 0x03, (byte) 0xE9, 1, 2, 3, 4});
            RawClient.Frame close = assertFailedWith(client, 1009);
            assertTrue(ServerAssertions.reasonOf(close).length() <= 123);
        }
        assertEquals(1009, echo.awaitCloseCode());
        assertStillServes(fixture, "/echo");
    }

    @Test
    void aFrameOfExactlyMaxFrameSizeIsAccepted() throws Exception {
        start(builder -> builder.maxFrameSize(1000).maxMessageSize(10_000));
        try (RawClient client = fixture.connect("/echo")) {
            client.send(true, 0, 2, new byte[1000]);
            assertEquals(1000, client.read().payload().length);
        }
    }

    @Test
    void aMessageLongerThanMaxMessageSizeFailsWith1009EvenInSmallFragments() throws Exception {
        start(builder -> builder.maxFrameSize(1000).maxMessageSize(2500));
        try (RawClient client = fixture.connect("/echo")) {
            client.send(false, 0, 2, new byte[1000]);
            client.send(false, 0, 0, new byte[1000]);
            client.send(true, 0, 0, new byte[1000]);
            assertFailedWith(client, 1009);
        }
        assertStillServes(fixture, "/echo");
    }

    @Test
    void aMessageOfExactlyMaxMessageSizeIsAccepted() throws Exception {
        start(builder -> builder.maxFrameSize(1000).maxMessageSize(2500));
        try (RawClient client = fixture.connect("/echo")) {
            client.send(false, 0, 2, new byte[1000]);
            client.send(false, 0, 0, new byte[1000]);
            client.send(true, 0, 0, new byte[500]);
            assertEquals(2500, client.read().payload().length);
        }
    }

    @Test
    void aMaxMessageSizeBelowTheControlFrameLimitStillServes() throws Exception {
        // maxFrameSize defaults to maxMessageSize; the frame decoder needs room for 125-byte control frames.
        start(builder -> builder.maxMessageSize(16));
        try (RawClient client = fixture.connect("/echo")) {
            client.sendText("sixteen bytes ok");
            assertEquals("sixteen bytes ok", client.read().text());
            client.send(true, 0, 9, new byte[125]);
            assertEquals(10, client.read().opcode(), "a 125-byte ping is legal whatever the message limit");
            client.sendText("seventeen bytes!!");
            assertFailedWith(client, 1009);
        }
    }

    @Test
    void connectionsBeyondMaxConnectionsGet503UntilOneCloses() throws Exception {
        start(builder -> builder.maxConnections(2));
        try (RawClient first = fixture.connect("/echo"); RawClient second = fixture.connect("/echo")) {
            try (RawClient third = fixture.raw()) {
                assertRejectedWith(third, 503, third.handshake("/echo"));
            }
            first.sendText("first still served");
            assertEquals("first still served", first.read().text());
        }
        Await.until("both connections to be released", () -> fixture.server().connectionCount() == 0);
        assertStillServes(fixture, "/echo");
    }

    @Test
    void clientsConnectingAllAtOnceNeverExceedMaxConnections() throws Exception {
        start(builder -> builder.maxConnections(2));
        for (int round = 0; round < 5; round++) {
            int clients = 24;
            java.util.List<RawClient> open = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger upgraded = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<Thread> threads = new java.util.ArrayList<>();
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        RawClient client = fixture.raw();
                        open.add(client);
                        go.await();
                        if (client.handshake("/echo").startsWith("HTTP/1.1 101")) {
                            upgraded.incrementAndGet();
                        }
                    } catch (Exception refused) {
                        // 503 and a closed connection: expected for all but two
                    }
                }));
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(upgraded.get() <= 2, upgraded.get() + " of " + clients + " upgraded with maxConnections 2");
            for (RawClient client : open) {
                client.close();
            }
            Await.until("every connection to be released", () -> fixture.server().connectionCount() == 0);
        }
    }

    @Test
    void anIdleSessionIsClosedWith1001() throws Exception {
        start(builder -> builder.idleTimeout(Duration.ofMillis(300)));
        try (RawClient client = fixture.connect("/echo")) {
            RawClient.Frame close = client.read(); // within the 5 s read timeout
            assertEquals(8, close.opcode());
            assertEquals(1001, close.closeCode());
            client.sendClose(1001, "");
            assertTrue(client.serverClosedTcp());
        }
        assertEquals(1001, echo.awaitCloseCode());
    }

    @Test
    void pingIntervalSendsKeepAlivePingsAndTheirPongsKeepTheSessionFromIdling() throws Exception {
        start(builder -> builder.pingInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofMillis(600)));
        try (RawClient client = fixture.connect("/echo")) {
            long end = System.nanoTime() + Duration.ofMillis(1200).toNanos();
            int pings = 0;
            while (System.nanoTime() < end) {
                RawClient.Frame frame = client.read();
                assertEquals(9, frame.opcode(), "expected only keep-alive pings, got opcode " + frame.opcode());
                pings++;
                client.send(true, 0, 10, frame.payload()); // answer, as RFC 6455 §5.5.2 requires
            }
            assertTrue(pings >= 3, pings + " pings");
        }
        assertTrue(echo.events.contains("pong:"), "the pongs reached the handler: " + echo.events);
    }
}
