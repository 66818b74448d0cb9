package dev.websock.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.websock.codec.extension.MessageInflater;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link MessageDecoder} with permessage-deflate (RFC 7692 §6, §7.2.2): RSV1 messages are inflated. */
class CompressedMessagesTest {

    private static final long MAX = 1 << 20;

    /** Raw DEFLATE with a sync flush and the trailing 00 00 FF FF removed (RFC 7692 §7.2.1), by the JDK. */
    static byte[] compress(byte[] message) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buffer, 0, n);
            if (n < buffer.length) {
                break;
            }
        }
        deflater.end();
        byte[] bytes = out.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 4);
    }

    private static RecordingMessages decode(MessageDecoder.Delivery delivery, long max, byte[] wire, int chunk) {
        RecordingMessages seen = new RecordingMessages();
        FrameDecoder frames = new FrameDecoder(Role.SERVER, MAX);
        frames.allowRsvBits(0x40);
        MessageDecoder decoder = new MessageDecoder(frames, seen, delivery, max, new MessageInflater(max, false, 256));
        for (ByteBuffer piece : Wire.chunks(wire, chunk)) {
            decoder.decode(piece);
        }
        return seen;
    }

    private static RecordingMessages decode(byte[] wire) {
        return decode(MessageDecoder.Delivery.WHOLE, MAX, wire, Integer.MAX_VALUE);
    }

    @Nested
    class Rfc7692Section6_1_CompressedMessages {

        @ParameterizedTest
        @EnumSource(MessageDecoder.Delivery.class)
        void compressedTextIsInflatedAndValidatedWhateverTheChunking(MessageDecoder.Delivery delivery) {
            String text = "permessage-deflate: κόσμε, €, 𝄞. ".repeat(200);
            byte[] deflated = compress(Wire.utf8(text));
            byte[] wire = Wire.fromClient()
                    .frame(false, 0x40, Opcode.TEXT, Arrays.copyOfRange(deflated, 0, deflated.length / 2))
                    .frame(true, 0, Opcode.PING, Wire.utf8("p"))
                    .frame(true, 0, Opcode.CONTINUATION, Arrays.copyOfRange(deflated, deflated.length / 2, deflated.length))
                    .text("plain afterwards")
                    .bytes();
            for (int chunk : new int[] {1, 7, 100, Integer.MAX_VALUE}) {
                RecordingMessages seen = decode(delivery, MAX, wire, chunk);
                assertEquals(text + "plain afterwards", seen.textBytes.toString(java.nio.charset.StandardCharsets.UTF_8),
                        "chunks of " + chunk);
                assertEquals(1, seen.events.stream().filter(e -> e.equals("ping p")).count());
            }
        }

        @Test
        void rsv1OnAContinuationFrameFailsWith1002() {
            byte[] wire = Wire.fromClient().frame(false, 0x40, Opcode.TEXT, compress(Wire.utf8("a")))
                    .frame(true, 0x40, Opcode.CONTINUATION, new byte[0]).bytes();
            assertEquals("error 1002 RSV bits set on a continuation frame (only a message's first frame carries them,"
                    + " RFC 7692 §6.1)", decode(wire).last());
        }

        @Test
        void rsv1OnAControlFrameFailsWith1002() {
            byte[] wire = Wire.fromClient().frame(true, 0x40, Opcode.PING, new byte[0]).bytes();
            assertEquals("error 1002 RSV bits set on a ping frame (control frames are never compressed, RFC 7692 §6.1)",
                    decode(wire).last());
        }

        @Test
        void invalidUtf8InsideACompressedMessageFailsWith1007() {
            byte[] bad = Wire.utf8("fine until here ");
            bad = Arrays.copyOf(bad, bad.length + 1);
            bad[bad.length - 1] = (byte) 0xFF;
            byte[] wire = Wire.fromClient().frame(true, 0x40, Opcode.TEXT, compress(bad)).bytes();
            assertEquals("error 1007 invalid UTF-8 in text message at byte 16", decode(wire).last());
        }

        @Test
        void corruptDeflateDataFailsWith1007() {
            byte[] wire = Wire.fromClient().frame(true, 0x40, Opcode.BINARY, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x00}).bytes();
            String last = decode(wire).last();
            assertEquals("error 1007", last.substring(0, 10), last);
        }
    }

    @Nested
    class DecompressionBomb {

        @Test
        void messageInflatingBeyondTheLimitFailsWith1009() {
            byte[] zeros = new byte[8 << 20];
            byte[] bomb = compress(zeros); // about 8 KiB on the wire
            byte[] wire = Wire.fromClient().frame(true, 0x40, Opcode.BINARY, bomb).bytes();
            RecordingMessages seen = decode(MessageDecoder.Delivery.WHOLE, 1 << 16, wire, 4096);
            assertEquals(List.of("error 1009"), seen.events.stream().map(e -> e.substring(0, 10)).toList(), seen.events.toString());
        }

        @Test
        void messageOfExactlyTheLimitInflates() {
            byte[] message = new byte[1 << 16];
            new Random(1).nextBytes(message);
            byte[] wire = Wire.fromClient().frame(true, 0x40, Opcode.BINARY, compress(message)).bytes();
            RecordingMessages seen = decode(MessageDecoder.Delivery.WHOLE, 1 << 16, wire, 1000);
            assertEquals(1, seen.events.size(), seen.events.toString());
            assertEquals("binary last ", seen.events.getFirst().substring(0, 12));
        }
    }
}
