package dev.websock.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Normal traffic from the JDK's own WebSocket client ({@code java.net.http.WebSocket}), over every socket transport. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.websock.server.ServerUnderTest#socketTransports")
class JdkClientEchoTest {
    @Parameter
    ServerUnderTest.Kind kind;

    private ServerUnderTest fixture;
    private final RecordingHandler echo = new RecordingHandler(true);
    private final java.util.concurrent.atomic.AtomicInteger longTextsCompleted = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger longTextsFailed = new java.util.concurrent.atomic.AtomicInteger();
    private final SendCallback longTextCallback = new SendCallback() {
        @Override
        public void completed(Session session) {
            longTextsCompleted.incrementAndGet();
        }

        @Override
        public void failed(Session session, Throwable cause) {
            longTextsFailed.incrementAndGet();
        }
    };

    @BeforeEach
    void start() {
        fixture = ServerUnderTest.start(kind, builder -> builder
                .route("/echo", echo)
                .route("/greeter", new WebSocketHandler() {
                    @Override
                    public void onOpen(Session session) {
                        session.sendText("welcome " + session.subprotocol());
                        session.sendPing(ByteBuffer.wrap("hello?".getBytes()));
                    }

                    @Override
                    public void onText(Session session, String text) {
                        session.close(4100, "as you wish: " + text);
                    }
                })
                .route("/long", new WebSocketHandler() {
                    @Override
                    public void onOpen(Session session) {
                        // From a thread of our own, so that the text crosses to the connection thread first.
                        Thread.ofPlatform().start(() -> {
                            session.sendText(longTextWithPairsAtEveryPieceBoundary(), longTextCallback);
                            session.sendText(longTextWithPairsAtEveryPieceBoundary(), longTextCallback);
                        });
                    }
                })
                .subprotocols("v2", "v1"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void echoesTextBinaryAndFragmentedMessages() throws Exception {
        try (JdkClient client = fixture.jdkClient("/echo")) {
            client.ws.sendText("hello, wörld ✓ 😀", true).join();
            assertEquals("hello, wörld ✓ 😀", client.next());

            byte[] bytes = new byte[200_000];
            new Random(3).nextBytes(bytes);
            client.ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
            assertArrayEquals(bytes, (byte[]) client.next());

            client.ws.sendText("frag", false).join();
            client.ws.sendText("mented", true).join();
            assertEquals("fragmented", client.next());

            client.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2}), false).join();
            client.ws.sendBinary(ByteBuffer.wrap(new byte[] {3}), true).join();
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) client.next());

            client.ws.sendText("", true).join();
            assertEquals("", client.next());
        }
    }

    @Test
    void aTextLongerThanTheEncodersScratchComesBackWholeWithSurrogatePairsAcrossItsPieces() throws Exception {
        String text = longTextWithPairsAtEveryPieceBoundary();
        try (JdkClient client = fixture.jdkClient("/echo")) {
            client.ws.sendText(text, true).join();
            assertEquals(text, client.next());
        }
    }

    @Test
    void eachLongTextCompletesItsCallbackOnceAfterItsLastFrame() throws Exception {
        String text = longTextWithPairsAtEveryPieceBoundary();
        try (JdkClient client = fixture.jdkClient("/long")) {
            assertEquals(text, client.next());
            assertEquals(text, client.next());
            Await.until("both callbacks", () -> longTextsCompleted.get() == 2);
            Thread.sleep(100);
            assertEquals(2, longTextsCompleted.get(), "a callback completed more than once");
            assertEquals(0, longTextsFailed.get());
        }
    }

    /** 200,000 characters, a 😀 (a surrogate pair) straddling every multiple of 65,536 and elsewhere ASCII and é. */
    static String longTextWithPairsAtEveryPieceBoundary() {
        StringBuilder text = new StringBuilder(200_000);
        while (text.length() < 200_000) {
            text.append(text.length() % 65_536 == 65_535 ? "😀" : text.length() % 7 == 0 ? "é" : "a");
        }
        return text.toString();
    }

    @Test
    void aThousandMessagesComeBackInOrder() throws Exception {
        try (JdkClient client = fixture.jdkClient("/echo")) {
            for (int i = 0; i < 1000; i++) {
                client.ws.sendText("message " + i, true).join();
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals("message " + i, client.next());
            }
        }
    }

    @Test
    void answersPingsWithPongs() throws Exception {
        try (JdkClient client = fixture.jdkClient("/echo")) {
            client.ws.sendPing(ByteBuffer.wrap("are you there".getBytes())).join();
            assertEquals("pong:are you there", client.next());
        }
    }

    @Test
    void echoesTheClientsCloseCodeAndTheHandlerLearnsIt() throws Exception {
        try (JdkClient client = fixture.jdkClient("/echo")) {
            client.ws.sendClose(4001, "done").join();
            assertEquals("4001 ", client.awaitClose());
        }
        assertEquals(4001, echo.awaitCloseCode());
        Await.until("the connection to be released", () -> fixture.server().connectionCount() == 0);
    }

    @Test
    void theServerSendsOnOpenPingsAndClosesWithItsCodeAndReason() throws Exception {
        JdkClient client = JdkClient.connect(kind.httpClient().newWebSocketBuilder().subprotocols("v1", "v2"),
                fixture.uri("/greeter"));
        try (client) {
            assertEquals("v2", client.ws.getSubprotocol(), "the server's preference");
            assertEquals("welcome v2", client.next());
            assertEquals("ping:hello?", client.next());
            client.ws.sendText("bye", true).join();
            assertEquals("4100 as you wish: bye", client.awaitClose());
        }
        Await.until("the connection to be released", () -> fixture.server().connectionCount() == 0);
    }

    @Test
    void gracefulShutdownSends1001ToOpenSessionsAndCompletes() throws Exception {
        JdkClient first = fixture.jdkClient("/echo");
        JdkClient second = fixture.jdkClient("/echo");
        first.ws.sendText("before", true).join();
        assertEquals("before", first.next());
        var stopped = fixture.server().stop(Duration.ofSeconds(5));
        assertTrue(first.awaitClose().startsWith("1001"), "going away");
        assertTrue(second.awaitClose().startsWith("1001"), "going away");
        // The JDK client answers the close frame by itself once onClose returns.
        stopped.get(10, TimeUnit.SECONDS);
        assertEquals(0, fixture.server().connectionCount());
    }
}
