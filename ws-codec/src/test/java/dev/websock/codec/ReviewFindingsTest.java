package dev.websock.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.codec.extension.MessageInflater;
import dev.websock.utf8.Utf8;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Behaviour an independent review of the codec asked for; each test failed (or hung) before its fix. */
class ReviewFindingsTest {

    private static RecordingMessages decode(MessageDecoder.Delivery delivery, long max, MessageInflater inflater,
            int allowedRsv, byte[] wire) {
        RecordingMessages seen = new RecordingMessages();
        FrameDecoder frames = new FrameDecoder(Role.SERVER, 1 << 20);
        frames.allowRsvBits(allowedRsv);
        new MessageDecoder(frames, seen, delivery, max, inflater).decode(ByteBuffer.wrap(wire));
        return seen;
    }

    @Nested
    class Rfc7692Inflation {

        @Test
        void unlimitedStreamingMessagesInflateInsteadOfSpinning() {
            byte[] hello = {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00}; // RFC 7692 §7.2.3.1
            byte[] wire = Wire.fromClient().frame(true, 0x40, Opcode.TEXT, hello).bytes();
            RecordingMessages seen = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> decode(
                    MessageDecoder.Delivery.STREAMING, Long.MAX_VALUE, new MessageInflater(Long.MAX_VALUE, false, 256), 0x40, wire));
            assertEquals("Hello", seen.textBytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Test
        void anInflaterWithALargerLimitCannotOverrunTheMessageLimit() {
            byte[] wire = Wire.fromClient().frame(true, 0x40, Opcode.BINARY,
                    CompressedMessagesTest.compress(new byte[70_000])).bytes();
            RecordingMessages seen = decode(MessageDecoder.Delivery.WHOLE, 65_536, new MessageInflater(1 << 20, false, 256),
                    0x40, wire);
            assertEquals(List.of("error 1009 compressed message inflates to more than maxMessageSize 65536 bytes"), seen.events);
        }

        @Test
        void invalidUtf8InACompressedFirstFragmentFailsBeforeTheMessageEnds() {
            byte[] bad = {'a', 'b', (byte) 0xFF};
            byte[] wire = Wire.fromClient().frame(false, 0x40, Opcode.TEXT, CompressedMessagesTest.compress(bad)).bytes();
            RecordingMessages seen = decode(MessageDecoder.Delivery.WHOLE, 1 << 20, new MessageInflater(1 << 20, false, 256),
                    0x40, wire);
            assertEquals(List.of("error 1007 invalid UTF-8 in text message at byte 2"), seen.events);
        }

        @Test
        void rsvBitsNoTransformHandlesFailWith1002() {
            byte[] wire = Wire.fromClient().frame(true, 0x40, Opcode.BINARY, new byte[] {1, 2, 3}).bytes();
            assertEquals(List.of("error 1002 RSV bits 0x40 set on a binary frame, but no negotiated extension transforms"
                    + " messages with them"), decode(MessageDecoder.Delivery.WHOLE, 1 << 20, null, 0x40, wire).events);
        }
    }

    @Nested
    class Rfc6455Section5_3_ClientMasking {

        @Test
        void clientKeysComeFromAStrongSourceAndMaskCorrectly() {
            FrameEncoder encoder = new FrameEncoder(Role.CLIENT);
            ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH);
            int previous = 0;
            for (int frame = 0; frame < 40; frame++) { // more than one batch of keys
                int mask = encoder.writeHeader(header.clear(), true, 0, Opcode.BINARY, 3);
                assertEquals(mask, header.getInt(2));
                assertNotEquals(previous, mask);
                previous = mask;
            }
        }
    }

    @Nested
    class Rfc6455Section5_5_1_ClosePayloads {

        @Test
        void longReasonsAreCutToFitAControlFrameBetweenCodePoints() {
            ByteBuffer out = ByteBuffer.allocate(200);
            int length = FrameEncoder.writeClosePayload(out, CloseCode.PROTOCOL_ERROR, "é".repeat(100));
            assertEquals(2 + 122, length); // 61 two-byte characters: the 62nd would make 124 bytes
            assertTrue(Utf8.isValid(out.array(), 2, length));
        }

        @Test
        void noStatusIsAnEmptyPayloadAndUnsendableCodesAreRefused() {
            assertEquals(0, FrameEncoder.writeClosePayload(ByteBuffer.allocate(10), CloseCode.NO_STATUS, "x"));
            assertThrows(IllegalArgumentException.class,
                    () -> FrameEncoder.writeClosePayload(ByteBuffer.allocate(10), CloseCode.ABNORMAL, ""));
        }

        @Test
        void failingTheConnectionClosesWithoutWaitingForTheAnswer() {
            CloseHandshake close = new CloseHandshake();
            assertTrue(close.failed());
            assertTrue(close.isComplete());
            assertFalse(close.closeSent());
        }
    }

    @Nested
    class Encoding {

        @Test
        void negativeOpcodesAndRsvOnControlFramesAreRefused() {
            FrameEncoder encoder = new FrameEncoder(Role.SERVER);
            ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH);
            assertThrows(IllegalArgumentException.class, () -> encoder.writeHeader(header, true, 0, -1, 0));
            assertThrows(IllegalArgumentException.class, () -> encoder.writeHeader(header, true, 0x40, Opcode.PING, 0));
            assertEquals(0, Arrays.stream(new int[] {header.position()}).sum());
        }
    }
}
