package dev.websock.codec.extension;

import static dev.websock.codec.extension.Messages.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.codec.extension.MessageDeflater.Backend;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 7692 §7.2.1 on the sending side: compress, sync flush, drop the tail; the window honoured by the
 * compressor that can, with the fallback forced where zlib is absent.
 */
class Rfc7692Section7_2_1_Compression {

    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    private static PerMessageDeflate settings(boolean nativeZlib) {
        return PerMessageDeflate.builder().nativeZlib(nativeZlib).build();
    }

    /** A 20 KB block of random bytes, twice: the only long match is 20 000 bytes back. */
    private static byte[] farRepeats() {
        byte[] block = new byte[20_000];
        new Random(7692).nextBytes(block);
        byte[] message = new byte[40_000];
        System.arraycopy(block, 0, message, 0, block.length);
        System.arraycopy(block, 0, message, block.length, block.length);
        return message;
    }

    /** A quarter-window of random bytes twice (a match inside the window), then {@link #farRepeats()}. */
    private static byte[] nearAndFarRepeats(int windowBits) {
        byte[] near = new byte[(1 << windowBits) / 4];
        new Random(windowBits).nextBytes(near);
        byte[] far = farRepeats();
        byte[] message = new byte[2 * near.length + far.length];
        System.arraycopy(near, 0, message, 0, near.length);
        System.arraycopy(near, 0, message, near.length, near.length);
        System.arraycopy(far, 0, message, 2 * near.length, far.length);
        return message;
    }

    /** 40 KB of random letters from ACGT: Huffman coding alone makes it a quarter of its size. */
    private static byte[] fourLetters() {
        byte[] message = new byte[40_000];
        Random random = new Random(1951);
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) ("ACGT".charAt(random.nextInt(4)));
        }
        return message;
    }

    @Nested
    class ChoosingTheCompressor {

        @ParameterizedTest
        @CsvSource({
            // level, window bits, memLevel, zlib usable, backend
            "6, 15, 8, true,  JAVA_UTIL_ZIP",
            "6, 15, 8, false, JAVA_UTIL_ZIP",
            "0, 8,  8, false, JAVA_UTIL_ZIP",  // stored blocks reference nothing: any window
            "0, 12, 1, true,  JAVA_UTIL_ZIP",
            "6, 14, 8, true,  NATIVE_ZLIB",
            "6, 9,  8, true,  NATIVE_ZLIB",
            "6, 15, 5, true,  NATIVE_ZLIB",    // memLevel below 8 saves memory, natively only
            "6, 15, 5, false, JAVA_UTIL_ZIP",  // without zlib, memLevel is only a hint
            "6, 8,  8, true,  HUFFMAN_ONLY",   // zlib refuses a raw 8-bit window
            "6, 12, 8, false, HUFFMAN_ONLY",
            "9, 9,  1, false, HUFFMAN_ONLY",
        })
        void theBackendFollowsTheWindowAndWhatIsAvailable(int level, int windowBits, int memLevel, boolean zlib, Backend expected) {
            assertEquals(expected, MessageDeflater.chooseBackend(level, windowBits, memLevel, zlib));
        }

        @Test
        void forbiddingNativeZlibForcesTheFallback() {
            assertEquals(Backend.HUFFMAN_ONLY, new MessageDeflater(settings(false), 12, false).backend());
            assertEquals(Backend.NATIVE_ZLIB, new MessageDeflater(settings(true), 12, false).backend());
        }

        @Test
        void theSystemPropertyForbidsNativeZlibByDefault() {
            String before = System.getProperty(PerMessageDeflate.NATIVE_ZLIB_PROPERTY);
            try {
                System.setProperty(PerMessageDeflate.NATIVE_ZLIB_PROPERTY, "false");
                PerMessageDeflate settings = PerMessageDeflate.defaults();
                assertEquals(false, settings.nativeZlib());
                assertEquals(Backend.HUFFMAN_ONLY, new MessageDeflater(settings, 10, false).backend());
            } finally {
                if (before == null) {
                    System.clearProperty(PerMessageDeflate.NATIVE_ZLIB_PROPERTY);
                } else {
                    System.setProperty(PerMessageDeflate.NATIVE_ZLIB_PROPERTY, before);
                }
            }
            assertEquals(true, PerMessageDeflate.defaults().nativeZlib());
        }

        @ParameterizedTest
        @ValueSource(ints = {7, 16})
        void aWindowOutsideTheRfcRangeIsRefused(int windowBits) {
            assertThrows(IllegalArgumentException.class, () -> new MessageDeflater(settings(true), windowBits, false));
        }
    }

    @Nested
    class Section7_1_2_TheWindowIsHonoured {

        @Test
        void theCheckerSeesTheJdkCompressorReachFarBack() {
            // Proves the window checks below can fail: java.util.zip uses its whole 32 KiB window.
            DeflateChecker checker = new DeflateChecker();
            byte[] message = farRepeats();
            byte[] payload = Messages.deflate(new MessageDeflater(settings(false), 15, false), message).joined();
            assertArrayEquals(message, checker.message(payload, true));
            assertTrue(checker.maxDistance() >= 20_000, "max distance " + checker.maxDistance());
        }

        @ParameterizedTest
        @ValueSource(ints = {9, 10, 11, 12, 13, 14})
        void nativeZlibKeepsEveryBackReferenceWithinTheWindow(int windowBits) {
            DeflateChecker checker = new DeflateChecker();
            byte[] message = nearAndFarRepeats(windowBits);
            MessageDeflater deflater = new MessageDeflater(settings(true), windowBits, false);
            assertEquals(Backend.NATIVE_ZLIB, deflater.backend());
            byte[] payload = Messages.deflate(deflater, message).joined();
            assertArrayEquals(message, checker.message(payload, true));
            assertTrue(checker.maxDistance() <= 1 << windowBits, "distance " + checker.maxDistance());
            assertTrue(checker.maxDistance() >= (1 << windowBits) / 4, "the match inside the window was used: "
                    + checker.maxDistance());
            deflater.close();
        }

        @ParameterizedTest
        @ValueSource(ints = {8, 9, 12, 14})
        void theHuffmanOnlyFallbackUsesNoBackReferenceAtAllAndStillCompresses(int windowBits) {
            DeflateChecker checker = new DeflateChecker();
            byte[] message = fourLetters();
            MessageDeflater deflater = new MessageDeflater(settings(false), windowBits, false);
            assertEquals(Backend.HUFFMAN_ONLY, deflater.backend());
            byte[] payload = Messages.deflate(deflater, message).joined();
            assertArrayEquals(message, checker.message(payload, true));
            assertEquals(0, checker.maxDistance());
            assertTrue(payload.length < message.length * 3 / 10, "4 letters take 2 bits each: " + payload.length);
        }

        @Test
        void autobahnCase13_3AnEightBitWindowIsHonouredWithNativeZlibAvailable() {
            DeflateChecker checker = new DeflateChecker();
            MessageDeflater deflater = new MessageDeflater(settings(true), 8, false);
            assertEquals(Backend.HUFFMAN_ONLY, deflater.backend());
            for (int i = 0; i < 3; i++) {
                byte[] payload = Messages.deflate(deflater, HELLO).joined();
                assertArrayEquals(HELLO, checker.message(payload, false));
            }
            assertEquals(0, checker.maxDistance());
        }
    }

    @Nested
    class Framing {

        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void everyFramePayloadButTheLastIsTheBufferLessTheHeldBackTail(boolean nativeZlib) {
            byte[] message = new byte[10_000];
            new Random(1).nextBytes(message); // incompressible: output about as long as input
            MessageDeflater deflater = new MessageDeflater(
                    PerMessageDeflate.builder().nativeZlib(nativeZlib).bufferSize(256).build(), nativeZlib ? 12 : 15, false);
            Messages.Frames frames = Messages.deflate(deflater, message, List.of(1000), false);
            assertTrue(frames.payloads.size() > 30);
            for (byte[] payload : frames.payloads.subList(0, frames.payloads.size() - 1)) {
                assertEquals(252, payload.length);
            }
            MessageInflater inflater = new MessageInflater(1 << 20, false, 1024);
            assertArrayEquals(message, Messages.inflate(inflater, frames.payloads).bytes());
        }

        @Test
        void aSmallMessageIsOneFrame() {
            Messages.Frames frames = Messages.deflate(new MessageDeflater(settings(false), 15, false), HELLO);
            assertEquals(1, frames.payloads.size());
        }

        @Test
        void theMessageMayComeInAnyPiecesFromHeapOrDirectBuffers() {
            byte[] message = "to be or not to be, ".repeat(500).getBytes(StandardCharsets.US_ASCII);
            for (boolean direct : new boolean[] {false, true}) {
                for (int piece : new int[] {1, 7, 4096}) {
                    MessageDeflater deflater = new MessageDeflater(settings(true), 11, true);
                    byte[] payload = Messages.deflate(deflater, message, List.of(piece), direct).joined();
                    MessageInflater inflater = new MessageInflater(1 << 20, true, 512);
                    assertArrayEquals(message, Messages.inflate(inflater, payload).bytes(), piece + " direct " + direct);
                    deflater.close();
                }
            }
        }
    }

    @Nested
    class IdleAndClose {

        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void withoutContextTakeoverReleaseIdleDropsTheStateAndTheNextMessageIsTheSame(boolean nativeZlib) {
            MessageDeflater deflater = new MessageDeflater(settings(nativeZlib), nativeZlib ? 13 : 15, true);
            String first = hex(Messages.deflate(deflater, HELLO).joined());
            deflater.releaseIdle();
            assertEquals(first, hex(Messages.deflate(deflater, HELLO).joined()));
            deflater.close();
        }

        @Test
        void withContextTakeoverReleaseIdleKeepsTheWindow() {
            MessageDeflater deflater = new MessageDeflater(settings(false), 15, false);
            Messages.deflate(deflater, HELLO);
            deflater.releaseIdle();
            assertEquals("f2 00 11 00 00", hex(Messages.deflate(deflater, HELLO).joined()));
        }

        /**
         * An idle connection holds a few KiB instead of the compressor: releaseIdle lets it go and keeps the last
         * 4 KiB sent, and the compressor made for the next message starts from them, so that message still refers
         * back to what the peer holds.
         */
        @ParameterizedTest(name = "native zlib {0}")
        @ValueSource(booleans = {false, true})
        void withContextTakeoverReleaseIdleKeepsTheLastBytesSentInsteadOfTheCompressor(boolean nativeZlib) {
            byte[] line = "a line of chat that says the same thing again; ".getBytes(StandardCharsets.US_ASCII);
            byte[] burst = new byte[line.length * 200]; // ~10 KB: more than is kept
            for (int i = 0; i < 200; i++) {
                System.arraycopy(line, 0, burst, i * line.length, line.length);
            }
            MessageDeflater deflater = new MessageDeflater(settings(nativeZlib), 15, false);
            MessageInflater inflater = new MessageInflater(1 << 20, false, 512);
            assertArrayEquals(burst, Messages.inflate(inflater, Messages.deflate(deflater, burst).joined()).bytes());

            deflater.releaseIdle();
            assertFalse(deflater.holdsCompressor());
            assertEquals(MessageDeflater.IDLE_CONTEXT, deflater.contextBytes());

            byte[] again = Messages.deflate(deflater, line).joined();
            assertTrue(again.length <= 8, "the line after idle was not a reference back: " + again.length + " bytes");
            assertArrayEquals(line, Messages.inflate(inflater, again).bytes());
            deflater.close();
        }

        /** A server of many idle connections holds compressors for the ones that send, not one per connection. */
        @ParameterizedTest(name = "native zlib {0}")
        @ValueSource(booleans = {false, true})
        void theDeflatersOfOneConfigurationShareTheirCompressors(boolean nativeZlib) {
            PerMessageDeflate settings = settings(nativeZlib);
            List<MessageDeflater> connections = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                MessageDeflater deflater = new MessageDeflater(settings, 15, i % 2 == 0);
                MessageInflater inflater = new MessageInflater(1 << 20, i % 2 == 0, 512);
                assertArrayEquals(HELLO, Messages.inflate(inflater, Messages.deflate(deflater, HELLO).joined()).bytes());
                deflater.releaseIdle();
                assertFalse(deflater.holdsCompressor());
                connections.add(deflater);
            }
            CompressorPool pool = settings.compressors(15, () -> {
                throw new AssertionError("the pool should exist already");
            });
            assertEquals(1, pool.idleCount(), "one compressor served the 50 connections in turn");
            connections.forEach(MessageDeflater::close);
        }

        /** Messages of every size, with idle releases at random between them, all inflate with context takeover. */
        @ParameterizedTest(name = "native zlib {0}")
        @ValueSource(booleans = {false, true})
        void messagesAroundRandomIdleReleasesInflateInOrder(boolean nativeZlib) {
            Random random = new Random(7692);
            String[] words = {"alpha ", "beta ", "gamma ", "delta ", "epsilon ", "{\"id\":", "}, ", "\u00e9t\u00e9 "};
            MessageDeflater deflater = new MessageDeflater(settings(nativeZlib), 15, false);
            MessageInflater inflater = new MessageInflater(1 << 20, false, 512);
            for (int i = 0; i < 300; i++) {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(4) == 0 ? random.nextInt(20_000) : random.nextInt(300);
                while (text.length() < length) {
                    text.append(words[random.nextInt(words.length)]);
                }
                byte[] message = text.toString().getBytes(StandardCharsets.UTF_8);
                assertArrayEquals(message, Messages.inflate(inflater, Messages.deflate(deflater, message).joined())
                        .bytes(), "message " + i);
                if (random.nextInt(3) == 0) {
                    deflater.releaseIdle();
                }
            }
            deflater.close();
        }

        @Test
        void releaseIdleInTheMiddleOfAMessageChangesNothing() {
            MessageDeflater deflater = new MessageDeflater(settings(false), 15, true);
            Messages.Frames frames = new Messages.Frames();
            deflater.feed(ByteBuffer.wrap(HELLO, 0, 2), frames);
            deflater.releaseIdle();
            deflater.feed(ByteBuffer.wrap(HELLO, 2, 3), frames);
            deflater.end(frames);
            assertEquals("f2 48 cd c9 c9 07 00", hex(frames.joined()));
        }

        /** releaseIdle never lets go of the compressor while a message fills its buffer. */
        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void withContextTakeoverReleaseIdleInTheMiddleOfAMessageKeepsItsOutput(boolean nativeZlib) {
            byte[] message = farRepeats();
            MessageDeflater deflater = new MessageDeflater(settings(nativeZlib), 15, false);
            MessageInflater inflater = new MessageInflater(1 << 20, false, 512);
            for (int round = 0; round < 2; round++) {
                Messages.Frames frames = new Messages.Frames();
                deflater.feed(ByteBuffer.wrap(message, 0, 30_000), frames); // spills: the buffer is full, a tail kept
                deflater.releaseIdle();
                deflater.feed(ByteBuffer.wrap(message, 30_000, message.length - 30_000), frames);
                deflater.end(frames);
                assertArrayEquals(message, Messages.inflate(inflater, frames.joined()).bytes(), "round " + round);
                deflater.releaseIdle(); // between messages: the next one still refers back to this one
            }
            deflater.close();
        }

        @ParameterizedTest
        @ValueSource(booleans = {false, true})
        void closeIsIdempotentAndUseAfterCloseThrows(boolean nativeZlib) {
            MessageDeflater deflater = new MessageDeflater(settings(nativeZlib), 10, false);
            Messages.deflate(deflater, HELLO);
            deflater.close();
            assertDoesNotThrow(deflater::close);
            assertThrows(IllegalStateException.class, () -> deflater.end(new Messages.Frames()));
        }
    }
}
