package dev.websock.utf8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.utf8.kernel.KernelProbe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Streaming validation: fail fast, stay failed, know where a message may end, start over, direct buffers. */
class Utf8ValidatorTest {

    static final int VL = KernelProbe.vectorLength();

    private static byte[] ascii(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Nested
    class FailFast {

        @ParameterizedTest
        @EnumSource(Container.class)
        void theIndexIsTheBadByteInsideItsChunkNotTheEndOfTheChunk(Container container) {
            // A long message in three chunks, the bad byte in the middle of the second, after valid text
            // that the vector kernel proves in blocks.
            byte[] message = concat(ascii(100), "€".getBytes(StandardCharsets.UTF_8), ascii(2 * VL + 7),
                    new byte[] {(byte) 0xFF}, ascii(3 * VL));
            int bad = 100 + 3 + 2 * VL + 7;
            int offset = 4;
            Container.Placed placed = container.place(message, offset, 0);
            Utf8Validator validator = new Utf8Validator();
            int cut1 = offset + 90;
            int cut2 = offset + message.length - 5;
            assertEquals(-1, placed.feed(validator, offset, cut1));
            assertEquals(offset + bad, placed.feed(validator, cut1, cut2));
            assertTrue(validator.hasFailed());
            assertFalse(validator.isComplete());
            assertEquals(bad, validator.acceptedBytes(), "offset of the bad byte in the message");
        }

        @Test
        void everyBadBytePositionInsideOneChunkIsReportedExactly() {
            Utf8Validator validator = new Utf8Validator();
            for (int bad = 0; bad < 3 * VL + 5; bad++) {
                byte[] chunk = ascii(3 * VL + 5);
                chunk[bad] = (byte) 0xC0;
                validator.reset();
                assertEquals(bad, validator.feed(chunk, 0, chunk.length), "bad byte at " + bad);
                assertEquals(bad, validator.acceptedBytes());
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"E0 | 80", "F4 | 90", "ED | A0", "F0 | 8F", "C2 | 41", "E2 82 | 41", "F0 | 90 | 41",
                "F0 90 | 80 | C2", "E1 | 80 | E1", "F0 | 90 80 41", "C2 | 80 41 80", "E1 | 80 80 80"})
        void aSequenceSplitAcrossChunksFailsAtTheByteThatBreaksIt(String chunks) {
            String[] parts = chunks.split("\\|");
            byte[] prefix = ascii(VL + 3); // the first chunk runs through the vector kernel
            Utf8Validator validator = new Utf8Validator();
            assertEquals(-1, validator.feed(prefix, 0, prefix.length));
            long offsetInMessage = prefix.length;
            byte[] all = prefix;
            for (int p = 0; p < parts.length; p++) {
                byte[] chunk = concat(Rfc3629.hex(parts[p].trim()), p == parts.length - 1 ? ascii(VL) : new byte[0]);
                all = concat(all, chunk);
                int r = validator.feed(chunk, 0, chunk.length);
                if (p < parts.length - 1) {
                    assertEquals(-1, r, "chunk " + p);
                    assertFalse(validator.isComplete());
                } else {
                    int expected = Rfc3629.firstInvalid(all, 0, all.length);
                    assertEquals(expected - offsetInMessage, r, "index within the last chunk");
                    assertEquals(expected, validator.acceptedBytes());
                }
                offsetInMessage += chunk.length;
            }
        }
    }

    /**
     * The seam between two pieces, where the vector kernel starts a piece with the last three bytes of the one
     * before as its history: an error whose bytes straddle it, at every offset, with pieces around the vector
     * length, is reported at the index one-shot validation reports. Each piece is copied alone between garbage
     * (a 4-byte lead before it, stray continuations after), so reading outside it changes verdicts.
     */
    @Nested
    class ErrorsAcrossTheSeam {

        /**
         * Around the shortest piece a 512-bit kernel checks as one masked block (16 B), around the vector length,
         * and from four blocks on, where a piece may start with a proven ASCII run.
         */
        private static final int[] PIECES = {15, 16, 17, VL - 1, VL, VL + 1, VL + 2, VL + 3, VL + 4, 2 * VL - 1, 2 * VL,
                2 * VL + 3, 3 * VL + 1, 4 * VL, 4 * VL + 1, 5 * VL + 3};
        private static final int GAP = 5;

        private final byte[] scratch = new byte[GAP + 5 * VL + 3 + GAP];
        private final MemorySegment nativeScratch = Arena.ofAuto().allocate(scratch.length);

        /** Code points of every length, long enough that the blocks around the error are not ASCII. */
        private static byte[] text(boolean ascii) {
            byte[] bytes = (ascii ? "plain ascii text " : "αβγ€😀中文ab").repeat(VL / 8 + 1)
                    .getBytes(StandardCharsets.UTF_8);
            bytes = Arrays.copyOf(bytes, Math.min(bytes.length, 2 * VL + 10));
            return Arrays.copyOf(bytes, codePointStart(bytes));
        }

        /** Where the last code point of {@code text} starts if the cut left it open, else the end. */
        private static int codePointStart(byte[] text) {
            int end = text.length;
            while (end > 0 && (text[end - 1] & 0xC0) == 0x80) {
                end--;
            }
            return end > 0 && (text[end - 1] & 0xFF) >= 0xC0
                    && end - 1 + Rfc3629.sequenceLength(text[end - 1]) > text.length ? end - 1 : text.length;
        }

        /** Feeds {@code message} in pieces of {@code piece} bytes; returns the message offset of the error, or -1. */
        private long stream(byte[] message, int piece, boolean segment, Utf8Validator validator) {
            validator.reset();
            for (int at = 0; at < message.length; at += piece) {
                int length = Math.min(piece, message.length - at);
                Arrays.fill(scratch, 0, GAP, (byte) 0xF0);
                Arrays.fill(scratch, GAP, scratch.length, (byte) 0x80);
                System.arraycopy(message, at, scratch, GAP, length);
                long r;
                if (segment) {
                    nativeScratch.copyFrom(MemorySegment.ofArray(scratch));
                    r = validator.feed(nativeScratch, GAP, GAP + length);
                } else {
                    r = validator.feed(scratch, GAP, GAP + length);
                }
                if (r >= 0) {
                    assertTrue(validator.hasFailed());
                    return at + r - GAP;
                }
            }
            return -1;
        }

        private void everyPieceAndOffset(String bad, boolean endsMessage) {
            Utf8Validator validator = new Utf8Validator();
            for (boolean ascii : new boolean[] {false, true}) {
                byte[] context = text(ascii);
                for (int piece : PIECES) {
                    for (int pad = 0; pad < piece + 4; pad++) {
                        byte[] message = concat(ascii(pad), context, Rfc3629.hex(bad),
                                endsMessage ? new byte[0] : context);
                        int expected = Rfc3629.firstInvalid(message);
                        assertEquals(expected, Utf8.firstInvalid(message, 0, message.length), "one-shot");
                        for (boolean segment : new boolean[] {false, true}) {
                            long r = stream(message, piece, segment, validator);
                            String where = bad + (ascii ? " in ASCII" : " in multibyte text") + ", pieces of "
                                    + piece + ", pad " + pad + (segment ? ", segment" : ", array");
                            if (endsMessage) {
                                assertEquals(message.length, expected, "the reference sees a truncated end");
                                assertEquals(-1, r, where);
                                assertFalse(validator.isComplete(), where);
                                assertEquals(message.length, validator.acceptedBytes(), where);
                            } else {
                                assertTrue(expected >= 0 && expected < message.length, "the reference sees an error");
                                assertEquals(expected, r, where);
                                assertEquals(expected, validator.acceptedBytes(), where);
                                assertFalse(validator.isComplete(), where);
                            }
                        }
                    }
                }
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"E0 80", "E0 9F BF", "ED A0", "ED BF 80", "F4 90", "F0 8F", "C0 80", "C1 BF",
                "F5 80"})
        void aForbiddenPairStraddlingTheSeamFailsWhereOneShotFails(String bad) {
            everyPieceAndOffset(bad, false);
        }

        @ParameterizedTest
        @ValueSource(strings = {"80", "BF", "C3 A9 80", "E2 82 AC 80", "F0 9F 98 80 80"})
        void aStrayContinuationAtTheSeamFailsWhereOneShotFails(String bad) {
            everyPieceAndOffset(bad, false);
        }

        @ParameterizedTest
        @ValueSource(strings = {"C3 41", "E2 41", "E2 82 41", "F0 9F 41", "F0 9F 98 41", "E2 82 E2", "F0 9F 98 C3"})
        void aMissingContinuationAtTheSeamFailsWhereOneShotFails(String bad) {
            everyPieceAndOffset(bad, false);
        }

        @ParameterizedTest
        @ValueSource(strings = {"C3", "E2", "E2 82", "F0", "F0 9F", "F0 9F 98", "F4 8F BF"})
        void aMessageTruncatedAtItsEndIsIncompleteWhereverTheSeamFalls(String open) {
            everyPieceAndOffset(open, true);
        }

        @Test
        void aValidMessageIsCompleteWhereverTheSeamFalls() {
            Utf8Validator validator = new Utf8Validator();
            for (boolean ascii : new boolean[] {false, true}) {
                byte[] context = text(ascii);
                for (int piece : PIECES) {
                    for (int pad = 0; pad < piece + 4; pad++) {
                        byte[] message = concat(ascii(pad), context, context);
                        for (boolean segment : new boolean[] {false, true}) {
                            assertEquals(-1, stream(message, piece, segment, validator));
                            assertTrue(validator.isComplete(), "pieces of " + piece + ", pad " + pad);
                        }
                    }
                }
            }
        }
    }

    /**
     * A long piece of ASCII is proven whole without the kernel's full check only when the byte before it was
     * ASCII: after a sequence left open it fails at its first byte, after a closed one it is valid.
     */
    @Nested
    class LongAsciiPieces {

        private long feedTwoPieces(byte[] first, byte[] second, boolean segment, Utf8Validator validator) {
            if (segment) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment one = arena.allocate(first.length + 2).asSlice(1, first.length);
                    MemorySegment two = arena.allocate(second.length + 2).asSlice(1, second.length);
                    one.copyFrom(MemorySegment.ofArray(first));
                    two.copyFrom(MemorySegment.ofArray(second));
                    long r = validator.feed(one, 0, first.length);
                    return r >= 0 ? r : validator.feed(two, 0, second.length);
                }
            }
            int r = validator.feed(first, 0, first.length);
            return r >= 0 ? r : validator.feed(second, 0, second.length);
        }

        @ParameterizedTest
        @ValueSource(strings = {"C3", "E2", "E2 82", "F0", "F0 9F", "F0 9F 98"})
        void afterAnOpenSequenceItFailsAtItsFirstByte(String open) {
            for (int length : new int[] {4 * VL, 4 * VL + 1, 5 * VL + 3, 16 * VL}) {
                for (boolean segment : new boolean[] {false, true}) {
                    byte[] first = concat(ascii(5), Rfc3629.hex(open));
                    Utf8Validator validator = new Utf8Validator();
                    String where = open + " then " + length + " ASCII bytes" + (segment ? ", segment" : ", array");
                    assertEquals(0, feedTwoPieces(first, ascii(length), segment, validator), where);
                    assertEquals(first.length, validator.acceptedBytes(), where);
                    assertTrue(validator.hasFailed(), where);
                }
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"C3 A9", "E2 82 AC", "F0 9F 98 80", "7F"})
        void afterAClosedSequenceItIsValid(String closed) {
            for (int length : new int[] {4 * VL, 4 * VL + 1, 5 * VL + 3, 16 * VL}) {
                for (boolean segment : new boolean[] {false, true}) {
                    byte[] first = concat(ascii(5), Rfc3629.hex(closed));
                    Utf8Validator validator = new Utf8Validator();
                    String where = closed + " then " + length + " ASCII bytes" + (segment ? ", segment" : ", array");
                    assertEquals(-1, feedTwoPieces(first, ascii(length), segment, validator), where);
                    assertTrue(validator.isComplete(), where);
                    assertEquals(first.length + length, validator.acceptedBytes(), where);
                }
            }
        }

        @Test
        void aBadByteAnywhereInALongPieceAfterAsciiIsFoundExactly() {
            int length = 5 * VL + 3;
            for (int at = 0; at < length; at++) {
                byte[] second = ascii(length);
                second[at] = (byte) 0x80; // a continuation after ASCII
                for (boolean segment : new boolean[] {false, true}) {
                    Utf8Validator validator = new Utf8Validator();
                    assertEquals(at, feedTwoPieces(ascii(7), second, segment, validator), "at " + at);
                    assertEquals(7 + at, validator.acceptedBytes(), "at " + at);
                }
            }
        }
    }

    @Nested
    class AfterFailure {

        @ParameterizedTest
        @EnumSource(Container.class)
        void everyLaterFeedReturnsItsFromAndChangesNothing(Container container) {
            byte[] message = concat(ascii(10), new byte[] {(byte) 0xC1}, ascii(40));
            Container.Placed placed = container.place(message, 2, 0);
            Utf8Validator validator = new Utf8Validator();
            assertEquals(12, placed.feed(validator, 2, 30));
            for (int from : new int[] {30, 31, 2, 20}) {
                assertEquals(from, placed.feed(validator, from, Math.min(from + 9, placed.size())));
                assertTrue(validator.hasFailed());
                assertFalse(validator.isComplete());
                assertEquals(10, validator.acceptedBytes());
            }
            assertEquals(40, placed.feed(validator, 40, 40), "even an empty feed");
        }

        @Test
        void badIndicesStillThrowAfterFailure() {
            Utf8Validator validator = new Utf8Validator();
            byte[] a = {(byte) 0xFF, 'a', 'b'};
            assertEquals(0, validator.feed(a, 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> validator.feed(a, 2, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> validator.feed(a, -1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> validator.feed(a, 2, 1));
        }
    }

    @Nested
    class Completeness {

        @ParameterizedTest
        @ValueSource(ints = {0x80, 0x7FF, 0x800, 0x20AC, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF})
        void aTruncatedTailIsIncompleteUntilItsLastByte(int codePoint) {
            byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            for (int split = 1; split < encoded.length; split++) {
                Utf8Validator validator = new Utf8Validator();
                assertEquals(-1, validator.feed(encoded, 0, split));
                assertFalse(validator.isComplete(), "after " + split + " of " + encoded.length + " bytes");
                assertFalse(validator.hasFailed());
                assertEquals(-1, validator.feed(encoded, split, split), "an empty feed");
                assertFalse(validator.isComplete(), "an empty feed completes nothing");
                assertEquals(-1, validator.feed(encoded, split, encoded.length));
                assertTrue(validator.isComplete(), "after the completing byte");
                assertEquals(encoded.length, validator.acceptedBytes());
            }
            Utf8Validator byteByByte = new Utf8Validator();
            for (int i = 0; i < encoded.length; i++) {
                assertEquals(-1, byteByByte.feed(encoded, i, i + 1));
                assertEquals(i == encoded.length - 1, byteByByte.isComplete(), "after byte " + i);
            }
        }

        @Test
        void aNewValidatorAndAnEmptyMessageAreComplete() {
            Utf8Validator validator = new Utf8Validator();
            assertTrue(validator.isComplete());
            assertFalse(validator.hasFailed());
            assertEquals(0, validator.acceptedBytes());
            assertEquals(-1, validator.feed(new byte[0], 0, 0));
            assertTrue(validator.isComplete());
        }

        @Test
        void aLongChunkEndingInsideACodePointIsIncomplete() {
            // The vector kernel proves the blocks; the sequence left open at the end must still count.
            for (int tail = 0; tail < VL + 4; tail++) {
                byte[] chunk = concat(ascii(2 * VL + tail), Rfc3629.hex("F0 9F 98"));
                Utf8Validator validator = new Utf8Validator();
                assertEquals(-1, validator.feed(chunk, 0, chunk.length));
                assertFalse(validator.isComplete(), "tail " + tail);
                assertEquals(-1, validator.feed(new byte[] {(byte) 0x80}, 0, 1));
                assertTrue(validator.isComplete());
            }
        }
    }

    @Nested
    class Reset {

        @Test
        void afterFailureResetMakesItReusable() {
            Utf8Validator validator = new Utf8Validator();
            assertEquals(3, validator.feed(Rfc3629.hex("41 42 43 FF 41"), 0, 5));
            validator.reset();
            assertFalse(validator.hasFailed());
            assertTrue(validator.isComplete());
            assertEquals(0, validator.acceptedBytes());
            byte[] next = "κόσμε".getBytes(StandardCharsets.UTF_8);
            assertEquals(-1, validator.feed(next, 0, next.length));
            assertTrue(validator.isComplete());
            assertEquals(next.length, validator.acceptedBytes());
            assertEquals(1, validator.feed(Rfc3629.hex("41 80"), 0, 2), "fails again, at the stray continuation");
            assertEquals(next.length + 1, validator.acceptedBytes());
        }

        @Test
        void resetInsideACodePointForgetsIt() {
            Utf8Validator validator = new Utf8Validator();
            assertEquals(-1, validator.feed(Rfc3629.hex("41 E2 82"), 0, 3));
            assertFalse(validator.isComplete());
            validator.reset();
            assertTrue(validator.isComplete(), "the open sequence is forgotten");
            assertEquals(0, validator.feed(Rfc3629.hex("AC"), 0, 1), "so its last byte is now a stray one");
            validator.reset();
            assertEquals(-1, validator.feed(Rfc3629.hex("41"), 0, 1));
            assertTrue(validator.isComplete());
            assertEquals(1, validator.acceptedBytes());
        }
    }

    @Nested
    class DirectBuffers {

        private static void refill(ByteBuffer buffer, byte[] content) {
            buffer.clear();
            buffer.put(content);
            buffer.flip();
        }

        @Test
        void oneDirectBufferRefilledAndFedAgainAndAgain() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 * VL);
            Utf8Validator validator = new Utf8Validator();
            byte[] valid = concat(ascii(VL), "€😀".getBytes(StandardCharsets.UTF_8), ascii(VL));
            for (int round = 0; round < 3 * VL; round++) {
                // Round r: the buffer holds a message with a bad byte at r (or none when r is past the end).
                byte[] content = Arrays.copyOf(valid, Math.min(valid.length, 2 * VL + 7 + round % 5));
                int bad = round < content.length && content[round] >= 0 ? round : -1;
                if (bad >= 0) {
                    content[bad] = (byte) 0xF8;
                }
                refill(buffer, content);
                validator.reset();
                int r = validator.feed(buffer, 0, buffer.limit());
                assertEquals(bad >= 0 ? bad : Rfc3629.firstInvalid(content), r, "round " + round);
                assertEquals(0, buffer.position());
                assertEquals(content.length, buffer.limit());
            }
        }

        @Test
        void aCodePointSplitAcrossTwoDirectBuffersFedAlternately() {
            ByteBuffer a = ByteBuffer.allocateDirect(64);
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            Utf8Validator validator = new Utf8Validator();
            // € = E2 82 AC, 😀 = F0 9F 98 80, split at every buffer change.
            refill(a, Rfc3629.hex("41 E2"));
            refill(b, Rfc3629.hex("82 AC 42 F0 9F"));
            assertEquals(-1, validator.feed(a, 0, 2));
            assertEquals(-1, validator.feed(b, 0, 5));
            assertFalse(validator.isComplete());
            refill(a, Rfc3629.hex("98"));
            assertEquals(-1, validator.feed(a, 0, 1));
            refill(b, Rfc3629.hex("00 80 43"));
            assertEquals(-1, validator.feed(b, 1, 3), "from 1: the 00 before it is not part of the message");
            assertTrue(validator.isComplete());
            refill(a, Rfc3629.hex("44 45 C0 46"));
            assertEquals(2, validator.feed(a, 0, 4), "the bad byte's index in the buffer fed last");
            assertEquals(2 + 5 + 1 + 2 + 2, validator.acceptedBytes());
        }

        @Test
        void twoDirectBuffersAlternatingThroughALongMessage() {
            ByteBuffer[] buffers = {ByteBuffer.allocateDirect(3 * VL), ByteBuffer.allocateDirect(3 * VL + 1)};
            byte[] message = "Σὲ γνωρίζω ἀπὸ τὴν κόψη 😀 τοῦ σπαθιοῦ τὴν τρομερή, ∮ E⋅da = Q, ᚻᛖ ᚳᚹᚫᚦ ᚦᚫᛏ"
                    .repeat(5).getBytes(StandardCharsets.UTF_8);
            Utf8Validator validator = new Utf8Validator();
            int done = 0;
            for (int i = 0; done < message.length; i++) {
                ByteBuffer buffer = buffers[i & 1];
                int n = Math.min(message.length - done, 1 + (i * 7) % (buffer.capacity() - 1));
                buffer.clear().position(1);
                buffer.put(message, done, n).flip().position(1);
                assertEquals(-1, validator.feed(buffer, 1, 1 + n), "piece " + i);
                done += n;
            }
            assertTrue(validator.isComplete());
            assertEquals(message.length, validator.acceptedBytes());
        }

        @Test
        void indicesAreCheckedAgainstTheLimitNotTheCapacity() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(32);
            refill(buffer, ascii(20));
            Utf8Validator validator = new Utf8Validator();
            assertEquals(-1, validator.feed(buffer, 0, 20));
            buffer.limit(10); // the same buffer, its view kept, a smaller limit
            assertThrows(IndexOutOfBoundsException.class, () -> validator.feed(buffer, 5, 11));
            assertThrows(IndexOutOfBoundsException.class, () -> validator.feed(buffer, 0, 32));
            assertEquals(-1, validator.feed(buffer, 0, 10));
            assertEquals(10, buffer.limit());
            assertEquals(0, buffer.position());
        }

        @Test
        void aSliceOfADirectBufferCountsFromItsOwnStart() {
            ByteBuffer parent = ByteBuffer.allocateDirect(40);
            parent.put(Rfc3629.hex("FF FF FF FF 41 42 E2 82 AC 43 80 44"));
            ByteBuffer slice = parent.slice(4, 8); // 41 42 E2 82 AC 43 80 44
            Utf8Validator validator = new Utf8Validator();
            assertEquals(6, validator.feed(slice, 0, 8));
            validator.reset();
            assertEquals(-1, validator.feed(slice, 0, 6));
            ByteBuffer readOnly = slice.asReadOnlyBuffer();
            validator.reset();
            assertEquals(6, validator.feed(readOnly, 2, 8));
        }

        @Test
        void aSegmentAndADirectBufferOfTheSameMemoryAgree() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(3 * VL);
            byte[] content = concat(ascii(2 * VL), Rfc3629.hex("ED A0 80"), ascii(VL - 3));
            refill(buffer, content);
            MemorySegment segment = MemorySegment.ofBuffer(buffer);
            Utf8Validator viaBuffer = new Utf8Validator();
            Utf8Validator viaSegment = new Utf8Validator();
            assertEquals(2 * VL + 1, viaBuffer.feed(buffer, 0, content.length));
            assertEquals(2 * VL + 1, viaSegment.feed(segment, 0, content.length));
        }
    }

    @Test
    void aLongMessageInChunksOfEverySizeAgreesWithOneShot() {
        byte[] message = concat("ᚠᛇᚻ᛫ᛒᛦᚦ᛫ᚠᚱᚩᚠᚢᚱ᛫ᚠᛁᚱᚪ᛫ᚷᛖᚻᚹᛦᛚᚳᚢᛗ 😀 ".repeat(4).getBytes(StandardCharsets.UTF_8),
                Rfc3629.hex("F4 90 80 80"), ascii(VL));
        int expected = Rfc3629.firstInvalid(message);
        assertEquals(expected, Utf8.firstInvalid(message, 0, message.length));
        for (int size = 1; size <= 3 * VL + 1; size++) {
            Utf8Validator validator = new Utf8Validator();
            int failed = -1;
            for (int from = 0; from < message.length && failed < 0; from += size) {
                failed = validator.feed(message, from, Math.min(message.length, from + size));
            }
            assertEquals(expected, failed, "chunk size " + size);
        }
    }
}
