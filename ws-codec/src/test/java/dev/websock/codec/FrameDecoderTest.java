package dev.websock.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FrameDecoder}, grouped like RFC 6455 §5. */
class FrameDecoderTest {

    private static final long MAX = 1 << 20;

    private static RecordingFrames decodeWhole(Role role, byte[] wire) {
        // Decoding unmasks in place: give each decode its own copy of the bytes.
        return new RecordingFrames().feed(new FrameDecoder(role, MAX), List.of(ByteBuffer.wrap(wire.clone())));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Nested
    class Rfc6455Section5_2_BaseFramingProtocol {

        @ParameterizedTest(name = "payload of {0} bytes")
        @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
        void decodesEachLengthEncodingAndUnmasks(int length) {
            byte[] payload = new byte[length];
            new Random(length).nextBytes(payload);
            RecordingFrames seen = decodeWhole(Role.SERVER, Wire.fromClient().binary(payload).bytes());
            assertEquals(List.of("start binary fin len=" + length, "end " + hex(payload)), seen.events);
        }

        /**
         * Payloads up to 128 bytes are unmasked word by word with an overlapping last word; every length, every
         * mask phase a read can leave, heap and direct.
         */
        @Test
        void shortPayloadsUnmaskRightWhereverAReadSplitsThem() {
            Random random = new Random(130);
            for (int length = 0; length <= 130; length++) {
                byte[] payload = new byte[length];
                random.nextBytes(payload);
                byte[] wire = Wire.fromClient().binary(payload).bytes();
                List<String> expected = List.of("start binary fin len=" + length, "end " + hex(payload));
                for (int split = 1; split <= wire.length; split++) {
                    for (boolean direct : new boolean[] {false, true}) {
                        List<ByteBuffer> reads = List.of(buffer(wire, 0, split, direct),
                                buffer(wire, split, wire.length, direct));
                        assertEquals(expected, new RecordingFrames().feed(new FrameDecoder(Role.SERVER, MAX), reads).events,
                                "payload of " + length + " bytes, read split after byte " + split + (direct ? ", direct" : ""));
                    }
                }
            }
        }

        private static ByteBuffer buffer(byte[] bytes, int from, int to, boolean direct) {
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(to - from) : ByteBuffer.allocate(to - from);
            return buffer.put(bytes, from, to - from).flip();
        }

        @Test
        void decodesServerFramesUnmaskedInTheClientRole() {
            RecordingFrames seen = decodeWhole(Role.CLIENT, Wire.fromServer().text("hi").bytes());
            assertEquals(List.of("start text fin len=2", "end 6869"), seen.events);
        }

        @ParameterizedTest(name = "opcode {0}")
        @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
        void reservedOpcodeFailsWith1002(int opcode) {
            RecordingFrames seen = decodeWhole(Role.SERVER, Wire.fromClient().frame(true, 0, opcode, new byte[0]).bytes());
            assertEquals(List.of("error 1002 frame with reserved opcode 0x" + Integer.toHexString(opcode)
                    + " (RFC 6455 reserves it)"), seen.events);
        }

        @ParameterizedTest(name = "rsv {0}")
        @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
        void rsvBitsWithoutAnExtensionFailWith1002(int rsv) {
            RecordingFrames seen = decodeWhole(Role.SERVER, Wire.fromClient().frame(true, rsv, Opcode.TEXT, Wire.utf8("x")).bytes());
            assertTrue(seen.last().startsWith("error 1002 RSV bits 0x" + Integer.toHexString(rsv)), seen.last());
        }

        @Test
        void rsvBitsOwnedByANegotiatedExtensionPass() {
            FrameDecoder decoder = new FrameDecoder(Role.SERVER, MAX);
            decoder.allowRsvBits(0x40);
            RecordingFrames seen = new RecordingFrames().feed(decoder,
                    List.of(ByteBuffer.wrap(Wire.fromClient().frame(true, 0x40, Opcode.TEXT, Wire.utf8("x")).bytes())));
            assertEquals(List.of("start text fin rsv=40 len=1", "end 78"), seen.events);
        }

        @Test
        void lengthNotInItsShortestFormFailsWith1002() {
            assertEquals("error 1002 payload length 5 sent in 16 bits (lengths below 126 must use 7)",
                    decodeWhole(Role.SERVER, Wire.fromClient().frame(true, 0, Opcode.BINARY, new byte[5], 2).bytes()).last());
            assertEquals("error 1002 payload length 200 sent in 64 bits (lengths below 65536 must use 16 or 7)",
                    decodeWhole(Role.SERVER, Wire.fromClient().frame(true, 0, Opcode.BINARY, new byte[200], 8).bytes()).last());
        }

        @Test
        void lengthWithTheTopBitSetFailsWith1002() {
            byte[] wire = Wire.fromClient().raw(0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4).bytes();
            assertEquals(List.of("error 1002 64-bit payload length with its top bit set"), decodeWhole(Role.SERVER, wire).events);
        }

        @Test
        void frameLongerThanTheLimitFailsWith1009BeforeItsPayload() {
            FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1000);
            byte[] header = Wire.fromClient().raw(0x82, 0x80 | 126, 0x03, 0xE9, 1, 2, 3, 4).bytes(); // 1001 bytes
            RecordingFrames seen = new RecordingFrames().feed(decoder, List.of(ByteBuffer.wrap(header)));
            assertEquals(List.of("error 1009 frame payload 1001 bytes exceeds maxFrameSize 1000;"
                    + " raise the server's maxFrameSize to accept it"), seen.events);
        }

        @Test
        void afterAnErrorEverythingIsIgnored() {
            FrameDecoder decoder = new FrameDecoder(Role.SERVER, MAX);
            byte[] wire = Wire.fromClient().frame(true, 0, 3, new byte[0]).text("ignored").bytes();
            RecordingFrames seen = new RecordingFrames().feed(decoder, Wire.chunks(wire, 1));
            assertEquals(1, seen.events.size());
            assertEquals(FrameDecoder.State.STOPPED, decoder.state());
        }
    }

    @Nested
    class Rfc6455Section5_1_Masking {

        @Test
        void unmaskedFrameToAServerFailsWith1002() {
            assertEquals(List.of("error 1002 unmasked frame from the client (clients must mask every frame)"),
                    decodeWhole(Role.SERVER, Wire.fromServer().text("x").bytes()).events);
        }

        @Test
        void maskedFrameToAClientFailsWith1002() {
            assertEquals(List.of("error 1002 masked frame from the server (servers must not mask)"),
                    decodeWhole(Role.CLIENT, Wire.fromClient().text("x").bytes()).events);
        }
    }

    @Nested
    class Rfc6455Section5_5_ControlFrames {

        @Test
        void fragmentedControlFrameFailsWith1002() {
            assertEquals(List.of("error 1002 fragmented ping frame (control frames must not be fragmented)"),
                    decodeWhole(Role.SERVER, Wire.fromClient().frame(false, 0, Opcode.PING, new byte[1]).bytes()).events);
        }

        @Test
        void controlFrameOf125BytesPassesAnd126Fails() {
            assertEquals("end " + hex(new byte[125]),
                    decodeWhole(Role.SERVER, Wire.fromClient().frame(true, 0, Opcode.PING, new byte[125]).bytes()).last());
            assertEquals("error 1002 ping frame payload longer than 125 bytes",
                    decodeWhole(Role.SERVER, Wire.fromClient().frame(true, 0, Opcode.PING, new byte[126]).bytes()).last());
        }
    }

    @Nested
    class Chunking {

        private final byte[] stream = Wire.fromClient()
                .text("Hello")
                .frame(false, 0, Opcode.TEXT, Wire.utf8("frag"))
                .frame(true, 0, Opcode.PING, Wire.utf8("ping"))
                .frame(true, 0, Opcode.CONTINUATION, Wire.utf8("ment"))
                .binary(new byte[300])
                .binary(new byte[70000])
                .binary(new byte[0])
                .close(1000, "bye")
                .bytes();

        private final List<String> expected = decodeWhole(Role.SERVER, stream).events;

        @Test
        void oneByteAtATimeGivesTheSameFrames() {
            assertEquals(expected, new RecordingFrames().feed(new FrameDecoder(Role.SERVER, MAX), Wire.chunks(stream, 1)).events);
        }

        @Test
        void everySplitOfTheHeadersGivesTheSameFrames() {
            for (int size = 2; size <= 15; size++) {
                assertEquals(expected, new RecordingFrames().feed(new FrameDecoder(Role.SERVER, MAX),
                        Wire.chunks(stream, size)).events, "chunks of " + size);
            }
        }

        @Test
        void randomChunkingsOfHeapAndDirectBuffersGiveTheSameFrames() {
            Random random = new Random(7);
            for (int round = 0; round < 50; round++) {
                assertEquals(expected, new RecordingFrames().feed(new FrameDecoder(Role.SERVER, MAX),
                        Wire.randomChunks(stream, random, 1 + random.nextInt(4000))).events, "round " + round);
            }
        }
    }
}
