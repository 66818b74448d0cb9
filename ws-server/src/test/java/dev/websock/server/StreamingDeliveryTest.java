package dev.websock.server;

import static dev.websock.server.ServerAssertions.assertFailedWith;
import static dev.websock.server.ServerAssertions.assertStillServes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MessageDelivery#STREAMING}: pieces reach {@link WebSocketHandler#onTextFragment} and
 * {@link WebSocketHandler#onBinaryFragment} as they arrive, still checked (UTF-8, message length); and
 * {@link Session#sendTextFragment}/{@link Session#sendBinaryFragment} stream a message out as continuation frames.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.websock.server.ServerUnderTest#transports")
class StreamingDeliveryTest {
    private static final int MAX_MESSAGE = 256 * 1024;

    @Parameter
    ServerUnderTest.Kind kind;

    private ServerUnderTest fixture;
    private final CopyOnWriteArrayList<String> pieces = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Throwable> misuse = new CompletableFuture<>();
    private final CompletableFuture<Throwable> wrongKind = new CompletableFuture<>();

    /** Echoes each piece as it arrives, as a piece of the same streamed message. */
    private final WebSocketHandler streamingEcho = new WebSocketHandler() {
        @Override
        public void onTextFragment(Session session, ByteBuffer utf8, boolean last) {
            pieces.add(utf8.remaining() + (last ? "!" : ""));
            session.sendTextFragment(utf8, last, SendCallback.NONE);
        }

        @Override
        public void onBinaryFragment(Session session, ByteBuffer data, boolean last) {
            pieces.add(data.remaining() + (last ? "!" : ""));
            session.sendBinaryFragment(data, last, SendCallback.NONE);
        }
    };

    @BeforeEach
    void start() {
        fixture = ServerUnderTest.start(kind, builder -> builder
                .maxMessageSize(MAX_MESSAGE)
                .maxFrameSize(MAX_MESSAGE)
                .route("/echo", new EchoHandler())
                .route("/stream", streamingEcho, MessageDelivery.STREAMING)
                .route("/refuses", new WebSocketHandler() { }, MessageDelivery.STREAMING)
                .route("/producer", new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        // From a foreign thread: ten pieces of one binary message, then a text message.
                        Thread.ofPlatform().start(() -> {
                            for (int i = 0; i < 10; i++) {
                                session.sendBinaryFragment(ByteBuffer.wrap(new byte[] {(byte) i, (byte) i}), i == 9,
                                        SendCallback.NONE);
                            }
                            session.sendText("after the stream");
                        });
                    }
                })
                .route("/misuse", new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        session.sendTextFragment(ByteBuffer.wrap("open".getBytes()), false, SendCallback.NONE);
                        SendCallback record = new SendCallback() {
                            @Override
                            public void completed(Session s) {
                                misuse.complete(null);
                            }

                            @Override
                            public void failed(Session s, Throwable cause) {
                                misuse.complete(cause);
                            }
                        };
                        session.sendText("interleaved", record);
                        session.sendBinaryFragment(ByteBuffer.wrap(new byte[1]), true, new SendCallback() {
                            @Override
                            public void completed(Session s) {
                                wrongKind.complete(null);
                            }

                            @Override
                            public void failed(Session s, Throwable cause) {
                                wrongKind.complete(cause);
                            }
                        });
                        session.sendTextFragment(ByteBuffer.wrap(" stream".getBytes()), true, SendCallback.NONE);
                    }
                }));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static byte[] readStreamedMessage(RawClient client, int opcode) throws Exception {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        RawClient.Frame frame = client.read();
        assertEquals(opcode, frame.opcode());
        message.writeBytes(frame.payload());
        while (!frame.fin()) {
            frame = client.read();
            assertEquals(0, frame.opcode(), "continuation frames");
            message.writeBytes(frame.payload());
        }
        return message.toByteArray();
    }

    @Test
    void textPiecesArriveAsTheyComeAndAreStreamedBack() throws Exception {
        try (RawClient client = fixture.connect("/stream")) {
            client.send(false, 0, 1, "Hello, ".getBytes(StandardCharsets.UTF_8));
            client.send(false, 0, 0, "streaming ".getBytes(StandardCharsets.UTF_8));
            client.send(true, 0, 0, "world".getBytes(StandardCharsets.UTF_8));
            assertEquals("Hello, streaming world", new String(readStreamedMessage(client, 1), StandardCharsets.UTF_8));
        }
        assertTrue(pieces.size() >= 3, "delivered in pieces: " + pieces);
        assertTrue(pieces.getLast().endsWith("!"), "the last piece says so: " + pieces);
    }

    @Test
    void aPieceMayEndInsideACodePoint() throws Exception {
        byte[] euro = "€uro".getBytes(StandardCharsets.UTF_8); // E2 82 AC 75 72 6F
        try (RawClient client = fixture.connect("/stream")) {
            client.send(false, 0, 1, new byte[] {euro[0]});
            client.send(false, 0, 0, new byte[] {euro[1], euro[2], euro[3]});
            client.send(true, 0, 0, new byte[] {euro[4], euro[5]});
            assertEquals("€uro", new String(readStreamedMessage(client, 1), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLargeBinaryMessageStreamsThroughInPieces() throws Exception {
        byte[] data = new byte[200_000];
        new Random(5).nextBytes(data);
        try (RawClient client = fixture.connect("/stream")) {
            client.send(true, 0, 2, data);
            assertArrayEquals(data, readStreamedMessage(client, 2));
        }
    }

    @Test
    void invalidUtf8InAStreamedTextMessageFailsWith1007() throws Exception {
        try (RawClient client = fixture.connect("/stream")) {
            client.send(false, 0, 1, "valid so far ".getBytes(StandardCharsets.UTF_8));
            assertEquals("valid so far ", client.read().text(), "the valid piece is streamed back");
            client.send(false, 0, 0, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
            assertFailedWith(client, 1007);
        }
        assertStillServes(fixture, "/echo");
    }

    @Test
    void aStreamedMessageLongerThanMaxMessageSizeFailsWith1009() throws Exception {
        try (RawClient client = fixture.connect("/stream")) {
            client.send(false, 0, 2, new byte[MAX_MESSAGE / 2]);
            client.send(false, 0, 0, new byte[MAX_MESSAGE / 2]);
            client.send(true, 0, 0, new byte[1]);
            RawClient.Frame frame;
            while ((frame = client.read()).opcode() != 8) {
                assertTrue(frame.opcode() == 2 || frame.opcode() == 0, "pieces streamed back before the failure");
            }
            assertEquals(1009, frame.closeCode());
            assertTrue(client.serverClosedTcp());
        }
    }

    @Test
    void aHandlerThatDoesNotStreamRefusesStreamedMessagesWith1003() throws Exception {
        try (RawClient client = fixture.connect("/refuses")) {
            client.sendText("not wanted");
            RawClient.Frame close = client.read();
            assertEquals(1003, close.closeCode());
            client.sendClose(1003, "");
            assertTrue(client.serverClosedTcp());
        }
    }

    @Test
    void fragmentsSentFromAnotherThreadGoOutAsOneMessageInOrder() throws Exception {
        try (RawClient client = fixture.connect("/producer")) {
            client.sendText("go");
            byte[] message = readStreamedMessage(client, 2);
            byte[] expected = new byte[20];
            for (int i = 0; i < 10; i++) {
                expected[2 * i] = (byte) i;
                expected[2 * i + 1] = (byte) i;
            }
            assertArrayEquals(expected, message);
            assertEquals("after the stream", client.read().text());
        }
    }

    @Test
    void aMessageSentWhileOneIsStreamedFailsItsCallbackAndTheStreamStaysIntact() throws Exception {
        try (RawClient client = fixture.connect("/misuse")) {
            client.sendText("go");
            assertEquals("open stream", new String(readStreamedMessage(client, 1), StandardCharsets.UTF_8));
            assertInstanceOf(IllegalStateException.class, misuse.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, wrongKind.get(10, TimeUnit.SECONDS),
                    "a binary piece inside a streamed text message fails its callback");
            client.sendClose(1000, "");
            RawClient.Frame next = client.read();
            assertEquals(8, next.opcode(), "the interleaved message was never sent");
        }
    }
}
