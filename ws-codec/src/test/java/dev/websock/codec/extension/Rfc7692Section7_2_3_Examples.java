package dev.websock.codec.extension;

import static dev.websock.codec.extension.Messages.hex;
import static dev.websock.codec.extension.Messages.inflate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.codec.CloseCode;
import dev.websock.codec.zlib.Zlib;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples of RFC 7692 §7.2.3, byte for byte: our inflater reads each, and our deflater writes those it can
 * (the RFC made them with zlib, as both our compressors are).
 */
class Rfc7692Section7_2_3_Examples {

    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    private static MessageInflater inflater(boolean noContextTakeover) {
        return new MessageInflater(1 << 20, noContextTakeover, 1024);
    }

    private static PerMessageDeflate settings(boolean nativeZlib) {
        return PerMessageDeflate.builder().nativeZlib(nativeZlib).build();
    }

    @Nested
    class Section7_2_3_1_OneCompressedDeflateBlock {

        @Test
        void helloInflatesFromTheRfcBytes() {
            Messages.Inflated out = inflate(inflater(false), hex("f2 48 cd c9 c9 07 00"));
            assertArrayEquals(HELLO, out.bytes());
            assertTrue(out.last);
        }

        @Test
        void helloDeflatesToTheRfcBytesWithTheJdkCompressor() {
            MessageDeflater deflater = new MessageDeflater(settings(false), 15, false);
            assertEquals(MessageDeflater.Backend.JAVA_UTIL_ZIP, deflater.backend());
            assertEquals("f2 48 cd c9 c9 07 00", hex(Messages.deflate(deflater, HELLO).joined()));
        }

        @ParameterizedTest
        @ValueSource(ints = {9, 12, 14})
        void helloDeflatesToTheRfcBytesWithNativeZlibAtSmallerWindows(int windowBits) {
            MessageDeflater deflater = new MessageDeflater(settings(true), windowBits, false);
            assertEquals(MessageDeflater.Backend.NATIVE_ZLIB, deflater.backend(), Zlib.unavailableReason());
            assertEquals("f2 48 cd c9 c9 07 00", hex(Messages.deflate(deflater, HELLO).joined()));
        }
    }

    @Nested
    class Section7_2_3_2_SharingTheLz77Window {

        @Test
        void theSecondHelloIsABackReferenceIntoTheFirst() {
            MessageInflater inflater = inflater(false);
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).bytes());
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 00 11 00 00")).bytes());
        }

        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void ourDeflaterSharesItsWindowTheSameWay(boolean nativeZlib) {
            MessageDeflater deflater = new MessageDeflater(settings(nativeZlib), nativeZlib ? 12 : 15, false);
            assertEquals("f2 48 cd c9 c9 07 00", hex(Messages.deflate(deflater, HELLO).joined()));
            assertEquals("f2 00 11 00 00", hex(Messages.deflate(deflater, HELLO).joined()));
        }

        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void withNoContextTakeoverEachHelloIsCompressedAlone(boolean nativeZlib) {
            MessageDeflater deflater = new MessageDeflater(settings(nativeZlib), nativeZlib ? 12 : 15, true);
            assertEquals("f2 48 cd c9 c9 07 00", hex(Messages.deflate(deflater, HELLO).joined()));
            assertEquals("f2 48 cd c9 c9 07 00", hex(Messages.deflate(deflater, HELLO).joined()));
        }

        @Test
        void anInflaterWithoutContextTakeoverCannotReadTheSharedForm() {
            MessageInflater inflater = inflater(true);
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).bytes());
            Messages.Inflated second = inflate(inflater, hex("f2 00 11 00 00"));
            assertEquals(CloseCode.INVALID_PAYLOAD, second.closeCode, "a back-reference past the start of a new stream");
        }
    }

    @Nested
    class Section7_2_3_3_ABlockWithNoCompression {

        @Test
        void aStoredBlockInflates() {
            assertArrayEquals(HELLO, inflate(inflater(false), hex("00 05 00 fa ff 48 65 6c 6c 6f 00")).bytes());
        }

        @Test
        void levelZeroWritesTheRfcStoredBlock() {
            PerMessageDeflate stored = PerMessageDeflate.builder().compressionLevel(0).build();
            // Level 0 uses no window, so any window is honoured by the JDK compressor.
            MessageDeflater deflater = new MessageDeflater(stored, 8, false);
            assertEquals(MessageDeflater.Backend.JAVA_UTIL_ZIP, deflater.backend());
            assertEquals("00 05 00 fa ff 48 65 6c 6c 6f 00", hex(Messages.deflate(deflater, HELLO).joined()));
        }
    }

    @Nested
    class Section7_2_3_4_ABlockWithBfinalSet {

        @Test
        void helloInflatesAndTheOctetAfterTheFinalBlockIsAccepted() {
            Messages.Inflated out = inflate(inflater(false), hex("f3 48 cd c9 c9 07 00 00"));
            assertEquals(0, out.closeCode, out.reason);
            assertArrayEquals(HELLO, out.bytes());
        }

        @Test
        void theNextMessageStartsANewStreamEvenWithContextTakeover() {
            MessageInflater inflater = inflater(false);
            assertArrayEquals(HELLO, inflate(inflater, hex("f3 48 cd c9 c9 07 00 00")).bytes());
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).bytes());
        }

        @Test
        void theFinalBlockAndItsOctetMayArriveInSeparateFrames() {
            Messages.Inflated out = inflate(inflater(false), List.of(hex("f3 48 cd c9 c9 07 00"), hex("00")));
            assertEquals(0, out.closeCode, out.reason);
            assertArrayEquals(HELLO, out.bytes());
        }

        @Test
        void moreDataAfterTheFinalBlockFailsWith1007() {
            Messages.Inflated out = inflate(inflater(false), hex("f3 48 cd c9 c9 07 00 f2 48 cd c9 c9 07 00"));
            assertEquals(CloseCode.INVALID_PAYLOAD, out.closeCode);
            assertTrue(out.reason.contains("BFINAL"), out.reason);
        }

        @Test
        void aSecondZeroOctetAfterTheFinalBlockFailsWith1007() {
            Messages.Inflated out = inflate(inflater(false), List.of(hex("f3 48 cd c9 c9 07 00 00"), hex("00")));
            assertEquals(CloseCode.INVALID_PAYLOAD, out.closeCode);
        }
    }

    @Nested
    class Section7_2_3_5_TwoDeflateBlocksInOneMessage {

        @Test
        void bothBlocksInflateIntoOneMessage() {
            assertArrayEquals(HELLO, inflate(inflater(false), hex("f2 48 05 00 00 00 ff ff ca c9 c9 07 00")).bytes());
        }

        @Test
        void theBlocksMayBeSplitAcrossFramesAnywhere() {
            byte[] payload = hex("f2 48 05 00 00 00 ff ff ca c9 c9 07 00");
            for (int size = 1; size <= payload.length; size++) {
                Messages.Inflated out = Messages.inflateInPieces(inflater(false), payload, List.of(size));
                assertArrayEquals(HELLO, out.bytes(), "pieces of " + size);
            }
        }
    }

    @Nested
    class Section7_2_3_6_AnEmptyFragmentAndAnEmptyMessage {

        @Test
        void aFlushedFragmentFollowedByAnEmptyBlockFragmentInflates() {
            // The first fragment ends with a sync flush kept whole; the final fragment is 00, an empty block's header.
            Messages.Inflated out = inflate(inflater(false), List.of(hex("f2 48 cd c9 c9 07 00 00 00 ff ff"), hex("00")));
            assertArrayEquals(HELLO, out.bytes());
        }

        @Test
        void theEmptyMessageIsTheSingleOctet00() {
            Messages.Inflated out = inflate(inflater(false), hex("00"));
            assertEquals(0, out.bytes().length);
            assertTrue(out.last);
        }

        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void ourDeflaterWritesTheEmptyMessageAs00WithAndWithoutContextTakeover(boolean noContextTakeover) {
            MessageDeflater deflater = new MessageDeflater(settings(false), 15, noContextTakeover);
            MessageInflater inflater = inflater(noContextTakeover);
            for (String text : new String[] {"", "Hello", "", "", "Hello", ""}) {
                byte[] message = text.getBytes(StandardCharsets.US_ASCII);
                byte[] payload = Messages.deflate(deflater, message).joined();
                if (text.isEmpty()) {
                    assertEquals("00", hex(payload));
                }
                assertArrayEquals(message, inflate(inflater, payload).bytes(), "after " + text);
            }
        }

        @Test
        void theNativeAndHuffmanOnlyCompressorsAlsoWriteTheEmptyMessageAs00() {
            for (MessageDeflater deflater : new MessageDeflater[] {
                    new MessageDeflater(settings(true), 10, false), new MessageDeflater(settings(false), 10, false)}) {
                assertEquals("00", hex(Messages.deflate(deflater, new byte[0]).joined()), deflater.backend().name());
                Messages.deflate(deflater, HELLO);
                assertEquals("00", hex(Messages.deflate(deflater, new byte[0]).joined()), deflater.backend().name());
            }
        }

        @Test
        void anEmptyCompressedPayloadIsAnEmptyMessageAndLeavesTheStreamAsItWas() {
            MessageInflater inflater = inflater(false);
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).bytes());
            assertEquals(0, inflate(inflater, new byte[0]).bytes().length);
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 00 11 00 00")).bytes());
        }
    }
}
