package dev.websock.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The headers {@link FrameEncoder} writes, byte for byte. */
class FrameEncoderTest {

    @Nested
    class Rfc6455Section5_2_PayloadLength {

        /**
         * The 7-bit, 16-bit and 64-bit length forms, each at its edges, are in network byte order (§5.2) even when
         * the caller's header buffer is set to little-endian, and advance the buffer by the header's length.
         */
        @ParameterizedTest(name = "{0} bytes: {1}")
        @CsvSource({
            "0, 82 00",
            "125, 82 7D",
            "126, 82 7E 00 7E",
            "65535, 82 7E FF FF",
            "65536, 82 7F 00 00 00 00 00 01 00 00",
            "4294967296, 82 7F 00 00 00 01 00 00 00 00",
            "72623859790382856, 82 7F 01 02 03 04 05 06 07 08",
        })
        void lengthsAreInNetworkOrderWhateverTheBuffersOrder(long length, String hex) {
            byte[] expected = hex(hex);
            FrameEncoder encoder = new FrameEncoder(Role.SERVER);
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                for (ByteBuffer header : new ByteBuffer[] {ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH),
                        ByteBuffer.allocateDirect(FrameEncoder.MAX_HEADER_LENGTH)}) {
                    header.order(order);
                    assertEquals(0, encoder.writeHeader(header, true, 0, Opcode.BINARY, length));
                    assertEquals(expected.length, header.position(), order + " header length");
                    assertEquals(encoder.headerLength(length), header.position());
                    byte[] written = new byte[header.position()];
                    header.flip().get(written);
                    assertArrayEquals(expected, written, () -> order + ": " + Arrays.toString(written));
                }
            }
        }

        private static byte[] hex(String hex) {
            String[] parts = hex.split(" ");
            byte[] bytes = new byte[parts.length];
            for (int i = 0; i < parts.length; i++) {
                bytes[i] = (byte) Integer.parseInt(parts[i], 16);
            }
            return bytes;
        }
    }
}
