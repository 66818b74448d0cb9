package dev.websock.conformance.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class FrameWriterTest {

    /** Always returns the masking key of RFC 6455 §5.7's example. */
    private static final RandomGenerator RFC_KEY = () -> 0x37fa213dL << 32 | 0x37fa213dL;

    @Test
    void writesTheRfcMaskedHelloExample() {
        byte[] octets = new FrameWriter(RFC_KEY).encode(Frame.of(Opcode.TEXT, Bytes.utf8("Hello")));
        assertArrayEquals(Bytes.hex("818537fa213d7f9f4d5158"), octets);
    }

    @Test
    void writesTheRfcUnmaskedPingExample() {
        byte[] octets = new FrameWriter(RFC_KEY).encode(new Frame(true, 0, Opcode.PING, false, Bytes.utf8("Hello")));
        assertArrayEquals(Bytes.hex("890548656c6c6f"), octets);
    }

    /** RFC 6455 §5.2: 125 fits the 7-bit length, 126..65535 take 16 bits, 65536 and up take 64 bits. */
    @Test
    void usesTheMinimalLengthEncoding() {
        FrameWriter w = new FrameWriter(RFC_KEY);
        assertEquals(125, w.encode(new Frame(true, 0, 2, false, new byte[125]))[1]);
        byte[] b126 = w.encode(new Frame(true, 0, 2, false, new byte[126]));
        assertEquals(126, b126[1]);
        assertEquals(2 + 2 + 126, b126.length);
        byte[] b65536 = w.encode(new Frame(true, 0, 2, false, new byte[65536]));
        assertEquals(127, b65536[1]);
        assertEquals(2 + 8 + 65536, b65536.length);
        assertArrayEquals(Bytes.hex("0000000000010000"), java.util.Arrays.copyOfRange(b65536, 2, 10));
    }

    @Test
    void setsReservedBitsAndTheMaskBit() {
        byte[] octets = new FrameWriter(RFC_KEY).encode(new Frame(false, 5, 0x3, true, new byte[0]));
        assertEquals(0x53, octets[0] & 0xff);
        assertEquals(0x80, octets[1] & 0xff);
    }
}
