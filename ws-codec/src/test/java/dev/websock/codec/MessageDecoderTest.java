package dev.websock.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link MessageDecoder}: the rules that span frames, grouped like RFC 6455. */
class MessageDecoderTest {

    private static final long MAX = 1 << 20;

    private static RecordingMessages decode(MessageDecoder.Delivery delivery, long maxMessage, List<ByteBuffer> chunks) {
        RecordingMessages seen = new RecordingMessages();
        MessageDecoder decoder = new MessageDecoder(new FrameDecoder(Role.SERVER, MAX), seen, delivery, maxMessage);
        for (ByteBuffer chunk : chunks) {
            decoder.decode(chunk);
        }
        return seen;
    }

    private static RecordingMessages decode(byte[] wire) {
        return decode(MessageDecoder.Delivery.WHOLE, MAX, List.of(ByteBuffer.wrap(wire)));
    }

    @Nested
    class Rfc6455Section5_4_Fragmentation {

        @Test
        void fragmentsAreJoinedWithControlFramesBetweenThem() {
            byte[] wire = Wire.fromClient()
                    .frame(false, 0, Opcode.TEXT, Wire.utf8("Hel"))
                    .frame(true, 0, Opcode.PING, Wire.utf8("p"))
                    .frame(false, 0, Opcode.CONTINUATION, Wire.utf8("lo, "))
                    .frame(true, 0, Opcode.PONG, Wire.utf8("q"))
                    .frame(true, 0, Opcode.CONTINUATION, Wire.utf8("world"))
                    .bytes();
            assertEquals(List.of("ping p", "pong q", "text last Hello, world"), decode(wire).events);
        }

        @Test
        void continuationWithoutAMessageFailsWith1002() {
            assertEquals(List.of("error 1002 continuation frame with no fragmented message to continue"),
                    decode(Wire.fromClient().frame(true, 0, Opcode.CONTINUATION, Wire.utf8("x")).bytes()).events);
        }

        @Test
        void newDataFrameInsideAFragmentedMessageFailsWith1002() {
            byte[] wire = Wire.fromClient().frame(false, 0, Opcode.TEXT, Wire.utf8("a")).binary(new byte[1]).bytes();
            assertEquals(List.of("error 1002 new binary frame inside an unfinished fragmented text message"
                    + " (expected a continuation frame)"), decode(wire).events);
        }

        @Test
        void emptyFinalFragmentEndsTheMessage() {
            byte[] wire = Wire.fromClient().frame(false, 0, Opcode.BINARY, new byte[] {1, 2})
                    .frame(true, 0, Opcode.CONTINUATION, new byte[0]).bytes();
            assertEquals(List.of("binary last 0102"), decode(wire).events);
        }

        @Test
        void emptyMessagesArriveEmpty() {
            assertEquals(List.of("text last ", "binary last "),
                    decode(Wire.fromClient().text("").binary(new byte[0]).bytes()).events);
        }

        @Test
        void streamingDeliversEachPieceAndMarksTheLast() {
            byte[] wire = Wire.fromClient().frame(false, 0, Opcode.TEXT, Wire.utf8("ab"))
                    .frame(true, 0, Opcode.CONTINUATION, Wire.utf8("cd")).bytes();
            assertEquals(List.of("text part a", "text part b", "text part c", "text last d"),
                    decode(MessageDecoder.Delivery.STREAMING, MAX, Wire.chunks(wire, 7, 1, 6, 1)).events);
        }
    }

    @Nested
    class Rfc6455Section8_1_InvalidUtf8 {

        @Test
        void failsAtTheFirstInvalidByteBeforeTheFrameEnds() {
            byte[] payload = Wire.utf8("a".repeat(100));
            payload[10] = (byte) 0xC0;
            byte[] wire = Wire.fromClient().frame(true, 0, Opcode.TEXT, payload).bytes();
            // Only the header and the first 11 payload bytes arrive: the error is already certain.
            RecordingMessages seen = decode(MessageDecoder.Delivery.WHOLE, MAX, List.of(ByteBuffer.wrap(wire, 0, 2 + 4 + 11)));
            assertEquals(List.of("error 1007 invalid UTF-8 in text message at byte 10"), seen.events);
        }

        @Test
        void failsInsideALaterFragmentCountingBytesAcrossFragments() {
            byte[] wire = Wire.fromClient().frame(false, 0, Opcode.TEXT, Wire.utf8("κό"))
                    .frame(true, 0, Opcode.CONTINUATION, new byte[] {(byte) 0xCF, (byte) 0x83, (byte) 0xED, (byte) 0xA0, (byte) 0x80})
                    .bytes();
            assertEquals(List.of("error 1007 invalid UTF-8 in text message at byte 7"), decode(wire).events);
        }

        @Test
        void messageEndingInsideACodePointFailsWith1007() {
            byte[] wire = Wire.fromClient().frame(true, 0, Opcode.TEXT, new byte[] {'a', (byte) 0xE2, (byte) 0x82}).bytes();
            assertEquals(List.of("error 1007 text message ends inside a UTF-8 sequence"), decode(wire).events);
        }

        @Test
        void codePointsSplitAcrossFragmentsAreValid() {
            byte[] euro = Wire.utf8("€");
            byte[] wire = Wire.fromClient().frame(false, 0, Opcode.TEXT, new byte[] {euro[0]})
                    .frame(false, 0, Opcode.CONTINUATION, new byte[] {euro[1]})
                    .frame(true, 0, Opcode.CONTINUATION, new byte[] {euro[2]}).bytes();
            assertEquals(List.of("text last €"), decode(wire).events);
        }

        @Test
        void binaryMessagesAreNotValidated() {
            assertEquals(List.of("binary last c0ff"), decode(Wire.fromClient().binary(new byte[] {(byte) 0xC0, (byte) 0xFF}).bytes()).events);
        }
    }

    @Nested
    class Rfc6455Section5_5_1_Close {

        @ParameterizedTest(name = "code {0}")
        @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
        void sendableCodesAreReported(int code) {
            assertEquals(List.of("close " + code + " why"), decode(Wire.fromClient().close(code, "why").bytes()).events);
        }

        @ParameterizedTest(name = "code {0}")
        @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
        void codesNobodyMaySendFailWith1002(int code) {
            assertTrue(decode(Wire.fromClient().close(code, "").bytes()).last().startsWith("error 1002 close frame with code " + code));
        }

        @Test
        void emptyCloseReportsNoStatus() {
            assertEquals(List.of("close 1005 "), decode(Wire.fromClient().frame(true, 0, Opcode.CLOSE, new byte[0]).bytes()).events);
        }

        @Test
        void oneBytePayloadFailsWith1002() {
            assertEquals(List.of("error 1002 close frame with a 1-byte payload (a close code takes 2 bytes)"),
                    decode(Wire.fromClient().frame(true, 0, Opcode.CLOSE, new byte[] {3}).bytes()).events);
        }

        @Test
        void reasonThatIsNotUtf8FailsWith1007() {
            byte[] payload = {0x03, (byte) 0xE8, (byte) 0xCE, (byte) 0xBA, (byte) 0xE1, (byte) 0xBD};
            assertEquals(List.of("error 1007 close frame reason is not valid UTF-8"),
                    decode(Wire.fromClient().frame(true, 0, Opcode.CLOSE, payload).bytes()).events);
        }

        @Test
        void nothingAfterACloseFrameCounts() {
            assertEquals(List.of("close 1000 bye"), decode(Wire.fromClient().close(1000, "bye").text("late").bytes()).events);
        }
    }

    @Nested
    class Limits {

        @Test
        void fragmentedMessageOverTheLimitFailsWith1009AtTheFrameThatCrossesIt() {
            byte[] wire = Wire.fromClient().frame(false, 0, Opcode.BINARY, new byte[60])
                    .frame(true, 0, Opcode.CONTINUATION, new byte[41]).bytes();
            RecordingMessages seen = decode(MessageDecoder.Delivery.WHOLE, 100, List.of(ByteBuffer.wrap(wire)));
            assertEquals(List.of("error 1009 message of at least 101 bytes exceeds maxMessageSize 100;"
                    + " raise the server's maxMessageSize to accept it"), seen.events);
        }

        @Test
        void messageOfExactlyTheLimitPasses() {
            byte[] wire = Wire.fromClient().frame(false, 0, Opcode.BINARY, new byte[60])
                    .frame(true, 0, Opcode.CONTINUATION, new byte[40]).bytes();
            assertEquals(1, decode(MessageDecoder.Delivery.WHOLE, 100, List.of(ByteBuffer.wrap(wire))).events.size());
        }
    }

    @Nested
    class Chunking {

        @ParameterizedTest
        @EnumSource(MessageDecoder.Delivery.class)
        void anyChunkingGivesTheSameMessages(MessageDecoder.Delivery delivery) {
            Random random = new Random(11);
            Wire wire = Wire.fromClient();
            StringBuilder expectedText = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                String piece = "κόσμε-€-𝄞-" + i;
                expectedText.append(piece);
                wire.frame(false, 0, i == 0 ? Opcode.TEXT : Opcode.CONTINUATION, Wire.utf8(piece));
                wire.frame(true, 0, Opcode.PING, Wire.utf8("p" + i));
            }
            wire.frame(true, 0, Opcode.CONTINUATION, new byte[0]).close(1000, "done");
            byte[] bytes = wire.bytes();
            for (int round = 0; round < 100; round++) {
                RecordingMessages seen = decode(delivery, MAX, Wire.randomChunks(bytes, random, 1 + random.nextInt(64)));
                List<String> events = seen.events;
                assertEquals(expectedText.toString(), seen.textBytes.toString(java.nio.charset.StandardCharsets.UTF_8),
                        "round " + round);
                assertEquals("close 1000 done", events.getLast());
                assertEquals(30, events.stream().filter(e -> e.startsWith("ping ")).count());
            }
        }
    }
}
