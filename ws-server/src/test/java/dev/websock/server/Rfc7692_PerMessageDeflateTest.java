package dev.websock.server;

import static dev.websock.server.ServerAssertions.assertFailedWith;
import static dev.websock.server.ServerAssertions.assertStillServes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.codec.extension.PerMessageDeflate;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 7692: permessage-deflate, negotiated by a raw client and checked with {@link java.util.zip}: the client
 * compresses with its own {@link Deflater} and inflates the server's echo with its own {@link Inflater}, so the
 * server's codec is judged by an independent implementation.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.websock.server.ServerUnderTest#transports")
class Rfc7692_PerMessageDeflateTest {
    private static final int RSV1 = 4;
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";

    @Parameter
    ServerUnderTest.Kind kind;

    private ServerUnderTest fixture;
    private final RecordingHandler echo = new RecordingHandler(true);
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);

    @BeforeEach
    void start() {
        fixture = ServerUnderTest.start(kind, builder -> builder
                .route("/echo", echo)
                .route("/long", new WebSocketHandler() {
                    @Override
                    public void onOpen(Session session) {
                        session.sendText(JdkClientEchoTest.longTextWithPairsAtEveryPieceBoundary());
                    }
                })
                .perMessageDeflate(PerMessageDeflate.defaults())
                .maxMessageSize(64 * 1024));
    }

    @AfterEach
    void stop() {
        deflater.end();
        inflater.end();
        fixture.close();
    }

    /** RFC 7692 §7.2.1: DEFLATE with a sync flush, the trailing 00 00 FF FF removed. */
    private byte[] compress(byte[] data) {
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buffer, 0, n);
            if (n < buffer.length) {
                break;
            }
        }
        byte[] all = out.toByteArray();
        assertArrayEquals(TAIL, Arrays.copyOfRange(all, all.length - 4, all.length));
        return Arrays.copyOf(all, all.length - 4);
    }

    /** RFC 7692 §7.2.2: append 00 00 FF FF and inflate, keeping the window across messages (context takeover). */
    private byte[] decompress(byte[] payload) throws DataFormatException {
        byte[] input = Arrays.copyOf(payload, payload.length + 4);
        System.arraycopy(TAIL, 0, input, payload.length, 4);
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            int n = inflater.inflate(buffer);
            out.write(buffer, 0, n);
            if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                return out.toByteArray();
            }
        }
    }

    /** Reads one whole message, joining fragments; returns its first frame's RSV bits and its payload. */
    private static RawClient.Frame readMessage(RawClient client) throws Exception {
        RawClient.Frame first = client.read();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(first.payload());
        RawClient.Frame frame = first;
        while (!frame.fin()) {
            frame = client.read();
            assertEquals(0, frame.opcode(), "a continuation");
            assertEquals(0, frame.rsv(), "RSV1 only on a message's first frame (§6.1)");
            payload.writeBytes(frame.payload());
        }
        return new RawClient.Frame(true, first.rsv(), first.opcode(), payload.toByteArray());
    }

    @Test
    void anOfferIsAcceptedAndTheAgreementReachesTheSession() throws Exception {
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            assertTrue(client.responseHead.toLowerCase().contains("sec-websocket-extensions: permessage-deflate"),
                    client.responseHead);
            String head = client.responseHead;
            int start = head.toLowerCase().indexOf("sec-websocket-extensions: ") + "sec-websocket-extensions: ".length();
            String agreed = head.substring(start, head.indexOf("\r\n", start));
            assertEquals(java.util.List.of(agreed), echo.awaitOpen().extensions(),
                    "Session.extensions(): the response's Sec-WebSocket-Extensions elements");
        }
    }

    @Test
    void section_7_2_3_1_theRfcsCompressedHelloIsReadAsHello() throws Exception {
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            client.send(true, RSV1, 1, new byte[] {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00});
            RawClient.Frame reply = readMessage(client);
            assertEquals(RSV1, reply.rsv(), "the echo is compressed too");
            assertEquals("Hello", new String(decompress(reply.payload()), StandardCharsets.UTF_8));
        }
        assertEquals("text:Hello", echo.awaitEvent("text:"));
    }

    @Test
    void section_7_2_3_1_aCompressedMessageInTwoFragmentsIsReadWhole() throws Exception {
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            client.send(false, RSV1, 1, new byte[] {(byte) 0xf2, 0x48, (byte) 0xcd});
            client.send(true, 0, 0, new byte[] {(byte) 0xc9, (byte) 0xc9, 0x07, 0x00});
            assertEquals("Hello", new String(decompress(readMessage(client).payload()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void section_7_2_3_2_sharedSlidingWindowAcrossMessagesIsUnderstoodBothWays() throws Exception {
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            String text = "A message that repeats, a message that repeats. ".repeat(20);
            for (int i = 0; i < 5; i++) {
                byte[] compressed = compress((text + i).getBytes(StandardCharsets.UTF_8));
                client.send(true, RSV1, 1, compressed);
                RawClient.Frame reply = readMessage(client);
                assertEquals(RSV1, reply.rsv());
                assertEquals(text + i, new String(decompress(reply.payload()), StandardCharsets.UTF_8));
                if (i > 0) {
                    assertTrue(reply.payload().length < 20, "with context takeover a repeated message takes a few"
                            + " bytes, not " + reply.payload().length);
                }
            }
        }
    }

    @Test
    void anUncompressedMessageOnADeflateSessionIsAccepted() throws Exception {
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            client.sendText("plain");
            assertEquals("plain", new String(decompress(readMessage(client).payload()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTextLongerThanTheEncodersScratchIsCompressedAsOneMessage() throws Exception {
        String text = JdkClientEchoTest.longTextWithPairsAtEveryPieceBoundary();
        try (RawClient client = fixture.connect("/long", OFFER)) {
            RawClient.Frame reply = readMessage(client);
            assertEquals(1, reply.opcode());
            assertEquals(text, new String(decompress(reply.payload()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void incompressibleBinaryRoundTrips() throws Exception {
        byte[] data = new byte[50_000];
        new Random(7692).nextBytes(data);
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            client.send(true, RSV1, 2, compress(data));
            RawClient.Frame reply = readMessage(client);
            assertEquals(2, reply.opcode());
            assertArrayEquals(data, decompress(reply.payload()));
        }
    }

    @Test
    void section_6_1_rsv1OnAContinuationFrameFailsWith1002() throws Exception {
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            client.send(false, RSV1, 1, new byte[] {(byte) 0xf2, 0x48, (byte) 0xcd});
            client.send(true, RSV1, 0, new byte[] {(byte) 0xc9, (byte) 0xc9, 0x07, 0x00});
            assertFailedWith(client, 1002);
        }
        assertStillServes(fixture, "/echo");
    }

    @Test
    void section_6_1_rsv1OnAPingFailsWith1002() throws Exception {
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            client.send(true, RSV1, 9, new byte[0]);
            assertFailedWith(client, 1002);
        }
    }

    @Test
    void aMessageThatInflatesBeyondMaxMessageSizeFailsWith1009() throws Exception {
        byte[] bomb = compress(new byte[1024 * 1024]); // about 1 KiB on the wire
        assertTrue(bomb.length < 64 * 1024);
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            client.send(true, RSV1, 2, bomb);
            assertFailedWith(client, 1009);
        }
        assertStillServes(fixture, "/echo");
    }

    @Test
    void dataThatIsNotDeflateFailsWith1007() throws Exception {
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            client.send(true, RSV1, 2, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x12, 0x34});
            assertFailedWith(client, 1007);
        }
        assertStillServes(fixture, "/echo");
    }

    @Test
    void compressedTextThatIsNotUtf8FailsWith1007() throws Exception {
        try (RawClient client = fixture.connect("/echo", OFFER)) {
            client.send(true, RSV1, 1, compress(new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF}));
            assertFailedWith(client, 1007);
        }
    }

    @Test
    void withoutAnOfferNothingIsCompressed() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            assertTrue(!client.responseHead.toLowerCase().contains("sec-websocket-extensions"), client.responseHead);
            client.sendText("plain");
            RawClient.Frame reply = client.read();
            assertEquals(0, reply.rsv());
            assertEquals("plain", reply.text());
        }
    }
}
