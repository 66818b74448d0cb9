package dev.websock.server;

import static dev.websock.server.ServerAssertions.assertFailedWith;
import static dev.websock.server.ServerAssertions.assertStillServes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 §5: framing, masking, fragmentation and control frames, with raw frames; test names carry the
 * Autobahn case they mirror. Every protocol error is answered with its close code, then TCP is closed
 * (§7.1.7), and another connection is served undisturbed.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.websock.server.ServerUnderTest#transports")
class Rfc6455Section5_FramingTest {
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CONTINUATION = 0;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    @Parameter
    ServerUnderTest.Kind kind;

    private ServerUnderTest fixture;
    private final RecordingHandler echo = new RecordingHandler(true);

    @BeforeEach
    void start() {
        fixture = ServerUnderTest.start(kind, builder -> builder.route("/echo", echo)
                .route("/sender", new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        session.sendText("lone \uD800 surrogate"); // RFC 6455 §5.6: what we send must be UTF-8
                        try {
                            session.sendPing(java.nio.ByteBuffer.allocate(126));
                            session.sendText("no exception");
                        } catch (IllegalArgumentException expected) {
                            session.sendText("refused: " + expected.getMessage().contains("125"));
                        }
                        session.sendPing(java.nio.ByteBuffer.wrap(utf8("server ping")));
                    }
                }));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void assertProtocolError(int code, byte[]... frames) throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            for (byte[] frame : frames) {
                client.sendRaw(frame);
            }
            assertFailedWith(client, code);
        }
        assertEquals(code, echo.awaitCloseCode(), "the handler hears the failure's code");
        assertStillServes(fixture, "/echo");
    }

    private static byte[] masked(boolean fin, int rsv, int opcode, byte[] payload) {
        return RawClient.frame(fin, rsv, opcode, payload, true);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- 1: data frames of every length class ----

    @Test
    void case_1_1_textOfEveryLengthClassIsEchoed() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            for (int length : new int[] {0, 125, 126, 127, 128, 65535, 65536, 300_000}) {
                String text = "*".repeat(length);
                client.sendText(text);
                StringBuilder echoed = new StringBuilder();
                RawClient.Frame frame;
                do {
                    frame = client.read();
                    echoed.append(frame.text());
                } while (!frame.fin());
                assertEquals(length, echoed.length(), "length " + length);
            }
        }
    }

    @Test
    void case_1_2_binaryIsEchoedByteForByte() throws Exception {
        byte[] payload = new byte[70_000];
        new Random(12).nextBytes(payload);
        try (RawClient client = fixture.connect("/echo")) {
            client.send(true, 0, BINARY, payload);
            byte[] echoed = new byte[0];
            RawClient.Frame frame;
            do {
                frame = client.read();
                byte[] joined = java.util.Arrays.copyOf(echoed, echoed.length + frame.payload().length);
                System.arraycopy(frame.payload(), 0, joined, echoed.length, frame.payload().length);
                echoed = joined;
            } while (!frame.fin());
            assertArrayEquals(payload, echoed);
        }
    }

    @Test
    void largeMessagesGoOutInFragmentsOfAtMostFragmentSize() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.send(true, 0, BINARY, new byte[200_000]);
            RawClient.Frame first = client.read();
            assertEquals(BINARY, first.opcode());
            assertTrue(first.payload().length <= 65_522, "first fragment " + first.payload().length);
            RawClient.Frame frame = first;
            while (!frame.fin()) {
                frame = client.read();
                assertEquals(CONTINUATION, frame.opcode());
            }
        }
    }

    // ---- 2: pings and pongs ----

    @Test
    void case_2_2_aPingIsAnsweredWithAPongCarryingItsData() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.send(true, 0, PING, utf8("Hello, world!"));
            RawClient.Frame pong = client.read();
            assertEquals(PONG, pong.opcode());
            assertEquals("Hello, world!", pong.text());
        }
        assertEquals("ping:Hello, world!", echo.awaitEvent("ping:"));
    }

    @Test
    void case_2_4_aPingOf125BytesIsAnswered() throws Exception {
        byte[] data = new byte[125];
        new Random(24).nextBytes(data);
        try (RawClient client = fixture.connect("/echo")) {
            client.send(true, 0, PING, data);
            RawClient.Frame pong = client.read();
            assertEquals(PONG, pong.opcode());
            assertArrayEquals(data, pong.payload());
        }
    }

    @Test
    void case_2_5_aPingOf126BytesFailsWith1002() throws Exception {
        assertProtocolError(1002, masked(true, 0, PING, new byte[126]));
    }

    @Test
    void case_2_8_anUnsolicitedPongIsReportedAndNotAnswered() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.send(true, 0, PONG, utf8("unsolicited"));
            client.sendText("after");
            assertEquals("after", client.read().text(), "no answer to a pong: the next frame is the echo");
        }
        assertEquals("pong:unsolicited", echo.awaitEvent("pong:"));
    }

    @Test
    void case_2_10_tenPingsGetTenPongsInOrder() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            for (int i = 0; i < 10; i++) {
                client.send(true, 0, PING, utf8("ping " + i));
            }
            for (int i = 0; i < 10; i++) {
                RawClient.Frame pong = client.read();
                assertEquals(PONG, pong.opcode());
                assertEquals("ping " + i, pong.text());
            }
        }
    }

    // ---- 3: reserved bits ----

    @Test
    void case_3_1_rsv1WithoutAnExtensionFailsWith1002() throws Exception {
        assertProtocolError(1002, masked(true, 4, TEXT, utf8("Hello")));
    }

    @Test
    void case_3_2_rsv2FailsWith1002() throws Exception {
        assertProtocolError(1002, masked(true, 2, TEXT, utf8("Hello")));
    }

    @Test
    void case_3_7_rsvOnAControlFrameFailsWith1002() throws Exception {
        assertProtocolError(1002, masked(true, 7, PING, new byte[0]));
    }

    // ---- 4: reserved opcodes ----

    @Test
    void case_4_1_1_reservedDataOpcode3FailsWith1002() throws Exception {
        assertProtocolError(1002, masked(true, 0, 3, new byte[0]));
    }

    @Test
    void case_4_1_5_reservedDataOpcode7WithPayloadFailsWith1002() throws Exception {
        assertProtocolError(1002, masked(true, 0, 7, utf8("payload")));
    }

    @Test
    void case_4_2_1_reservedControlOpcode11FailsWith1002() throws Exception {
        assertProtocolError(1002, masked(true, 0, 11, new byte[0]));
    }

    @Test
    void case_4_2_5_reservedControlOpcode15FailsWith1002() throws Exception {
        assertProtocolError(1002, masked(true, 0, 15, utf8("payload")));
    }

    @Test
    void case_4_2_3_aReservedOpcodeAfterAValidMessageFailsAfterTheEcho() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendText("fine");
            client.sendRaw(masked(true, 0, 12, new byte[0]));
            assertEquals("fine", client.read().text());
            assertFailedWith(client, 1002);
        }
    }

    // ---- 5: fragmentation ----

    @Test
    void case_5_1_aFragmentedPingFailsWith1002() throws Exception {
        assertProtocolError(1002, masked(false, 0, PING, utf8("frag")), masked(true, 0, CONTINUATION, utf8("ment")));
    }

    @Test
    void case_5_3_aTextMessageInTwoFragmentsIsEchoedWhole() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendRaw(masked(false, 0, TEXT, utf8("frag")));
            client.sendRaw(masked(true, 0, CONTINUATION, utf8("mented")));
            assertEquals("fragmented", client.read().text());
        }
        assertEquals("text:fragmented", echo.awaitEvent("text:"));
    }

    @Test
    void case_5_6_pingInsideFragmentedMessageIsAnsweredAtOnce() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendRaw(masked(false, 0, TEXT, utf8("frag")));
            client.sendRaw(masked(true, 0, PING, utf8("between")));
            RawClient.Frame pong = client.read();
            assertEquals(PONG, pong.opcode(), "the pong does not wait for the message to end");
            assertEquals("between", pong.text());
            client.sendRaw(masked(true, 0, CONTINUATION, utf8("mented")));
            assertEquals("fragmented", client.read().text());
        }
    }

    @Test
    void case_5_9_aContinuationWithNothingToContinueFailsWith1002() throws Exception {
        assertProtocolError(1002, masked(true, 0, CONTINUATION, utf8("orphan")));
    }

    @Test
    void case_5_17_aNewTextFrameInsideAFragmentedMessageFailsWith1002() throws Exception {
        assertProtocolError(1002, masked(false, 0, TEXT, utf8("one")), masked(true, 0, TEXT, utf8("two")));
    }

    @Test
    void case_5_19_manyOneByteFragmentsWithPingsBetweenAreOneMessage() throws Exception {
        String text = "fragmented into single bytes";
        try (RawClient client = fixture.connect("/echo")) {
            byte[] bytes = utf8(text);
            for (int i = 0; i < bytes.length; i++) {
                client.sendRaw(masked(i == bytes.length - 1, 0, i == 0 ? TEXT : CONTINUATION, new byte[] {bytes[i]}));
                if (i % 7 == 0) {
                    client.sendRaw(masked(true, 0, PING, utf8("p" + i)));
                }
            }
            StringBuilder pongs = new StringBuilder();
            RawClient.Frame frame;
            while ((frame = client.read()).opcode() == PONG) {
                pongs.append(frame.text());
            }
            assertEquals(TEXT, frame.opcode());
            assertEquals(text, frame.text());
            assertEquals("p0p7p14p21", pongs.toString());
        }
    }

    @Test
    void emptyFragmentsMakeAnEmptyMessage() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendRaw(masked(false, 0, BINARY, new byte[0]));
            client.sendRaw(masked(false, 0, CONTINUATION, new byte[0]));
            client.sendRaw(masked(true, 0, CONTINUATION, new byte[0]));
            RawClient.Frame echoed = client.read();
            assertEquals(BINARY, echoed.opcode());
            assertEquals(0, echoed.payload().length);
        }
    }

    // ---- masking (§5.1, §5.3) ----

    @Test
    void anUnmaskedFrameFailsWith1002() throws Exception {
        assertProtocolError(1002, RawClient.frame(true, 0, TEXT, utf8("x"), false));
    }

    @Test
    void theServerNeverMasksItsFrames() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendText("check the mask bit");
            assertEquals("check the mask bit", client.read().text()); // RawClient.read throws on a masked frame
        }
    }

    // ---- §5.2: a 64-bit length with the most significant bit set ----

    @Test
    void aPayloadLengthWithTheMostSignificantBitSetFailsWith1002() throws Exception {
        byte[] header = {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4};
        try (RawClient client = fixture.connect("/echo")) {
            client.sendRaw(header);
            RawClient.Frame close = client.read();
            assertEquals(CLOSE, close.opcode());
            assertTrue(close.closeCode() == 1002 || close.closeCode() == 1009, "code " + close.closeCode());
            assertTrue(client.serverClosedTcp());
        }
        assertStillServes(fixture, "/echo");
    }

    // ---- §8.1 and Autobahn 6: UTF-8 ----

    @Test
    void case_6_3_1_invalidUtf8FailsWith1007() throws Exception {
        assertProtocolError(1007, masked(true, 0, TEXT,
                new byte[] {(byte) 0xCE, (byte) 0xBA, (byte) 0xE1, (byte) 0xBD, (byte) 0xB9, (byte) 0xCF, (byte) 0x83,
                        (byte) 0xCE, (byte) 0xBC, (byte) 0xCE, (byte) 0xB5, (byte) 0xED, (byte) 0xA0, (byte) 0x80,
                        0x65, 0x64, 0x69, 0x74, 0x65, 0x64}));
    }

    @Test
    void case_6_4_1_invalidUtf8InTheMiddleOfAFragmentedMessageFailsFastWith1007() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.sendRaw(masked(false, 0, TEXT, utf8("κόσμε")));
            client.sendRaw(masked(false, 0, CONTINUATION, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}));
            // No final fragment: the server fails on the bad bytes, not at the end of the message.
            assertFailedWith(client, 1007);
        }
    }

    @Test
    void case_6_2_3_aCodePointSplitAcrossFragmentsIsValid() throws Exception {
        byte[] bytes = utf8("Hello-µ@ßöäüàá-UTF-8!!");
        try (RawClient client = fixture.connect("/echo")) {
            for (int i = 0; i < bytes.length; i++) {
                client.sendRaw(masked(i == bytes.length - 1, 0, i == 0 ? TEXT : CONTINUATION, new byte[] {bytes[i]}));
            }
            assertEquals("Hello-µ@ßöäüàá-UTF-8!!", client.read().text());
        }
    }

    @Test
    void case_6_6_aTextMessageEndingInsideACodePointFailsWith1007() throws Exception {
        assertProtocolError(1007, masked(true, 0, TEXT, new byte[] {'a', (byte) 0xE2, (byte) 0x82}));
    }

    @Test
    void case_6_9_surrogatesEncodedInUtf8FailWith1007() throws Exception {
        assertProtocolError(1007, masked(true, 0, TEXT, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    }

    @Test
    void case_6_x_overlongEncodingsFailWith1007() throws Exception {
        assertProtocolError(1007, masked(true, 0, TEXT, new byte[] {(byte) 0xC0, (byte) 0xAF}));
    }

    @Test
    void theServerSendsValidUtf8AndLegalControlFramesWhateverTheHandlerGivesIt() throws Exception {
        try (RawClient client = fixture.connect("/sender")) {
            client.sendText("go");
            RawClient.Frame text = client.read();
            assertArrayEquals(utf8("lone ? surrogate"), text.payload(), "an unpaired surrogate becomes '?'");
            assertEquals("refused: true", client.read().text(), "a 126-byte ping is refused with the limit named");
            RawClient.Frame ping = client.read();
            assertEquals(PING, ping.opcode());
            assertEquals("server ping", ping.text());
        }
    }

    @Test
    void binaryMessagesAreNotCheckedForUtf8() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            client.send(true, 0, BINARY, new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xFF});
            assertArrayEquals(new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xFF}, client.read().payload());
        }
    }
}
