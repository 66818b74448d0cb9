package dev.websock.utf8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.utf8.kernel.KernelProbe;
import dev.websock.utf8.kernel.Utf8Dfa;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every 1-, 2- and 3-byte sequence, and every shape of 4-byte sequence, against the {@link Rfc3629} reference:
 * through the exact automaton (one-shot and a byte at a time) and through the streaming validator fed a byte at
 * a time. {@link Rfc3629VectorKernelExhaustiveTest} takes the same sequences through the vector kernel.
 */
class Rfc3629ExhaustiveTest {

    /** Valid sequences of each length: U+0000..7F, U+0080..07FF, U+0800..FFFF minus 2048 surrogates, 16 planes. */
    static final int VALID_1 = 0x80, VALID_2 = 0x800 - 0x80, VALID_3 = 0x10000 - 0x800 - 0x800, VALID_4 = 0x100000;

    /** Strings of exactly {@code length} bytes that are valid UTF-8: every way to split them into code points. */
    static long validStringsOfLength(int length) {
        long[] count = new long[length + 1];
        count[0] = 1;
        long[] perLength = {0, VALID_1, VALID_2, VALID_3, VALID_4};
        for (int n = 1; n <= length; n++) {
            for (int k = 1; k <= Math.min(4, n); k++) {
                count[n] += count[n - k] * perLength[k];
            }
        }
        return count[length];
    }

    static void fill(byte[] seq, int length, int value) {
        for (int k = 0; k < length; k++) {
            seq[k] = (byte) (value >>> (8 * (length - 1 - k)));
        }
    }

    // ---------------------------------------------------------------- 4-byte shapes

    /** Leads: the 4-byte leads, and bytes of every other kind that may sit where a 4-byte lead is expected. */
    static final int[] SHAPE_LEADS = {
        0xF0, 0xF1, 0xF2, 0xF3, 0xF4, // the 4-byte leads
        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, // ASCII, continuations
        0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, // 2- and 3-byte leads, overlong leads
        0xF5, 0xF7, 0xF8, 0xFB, 0xFC, 0xFE, 0xFF}; // beyond U+10FFFF, the old 5- and 6-byte leads, impossible
    /** Each continuation position draws from the classes 00..7F, 80..8F, 90..9F, A0..BF, C0..FF. */
    static final int[] SHAPE_FOLLOWERS = {
        0x00, 0x41, 0x7F, // 00..7F
        0x80, 0x8F, // 80..8F
        0x90, 0x9F, // 90..9F
        0xA0, 0xBF, // A0..BF
        0xC0, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xFF}; // C0..FF

    static final int SHAPES = SHAPE_LEADS.length * SHAPE_FOLLOWERS.length * SHAPE_FOLLOWERS.length
            * SHAPE_FOLLOWERS.length;

    static void shape(byte[] seq, int index) {
        int n = SHAPE_FOLLOWERS.length;
        seq[3] = (byte) SHAPE_FOLLOWERS[index % n];
        seq[2] = (byte) SHAPE_FOLLOWERS[index / n % n];
        seq[1] = (byte) SHAPE_FOLLOWERS[index / n / n % n];
        seq[0] = (byte) SHAPE_LEADS[index / n / n / n];
    }

    @Test
    void theReferenceCountsMatchTheCodeSpace() {
        // Sanity of the counting used below: 1-byte strings are the 128 ASCII bytes, 2-byte strings are
        // ASCII pairs plus 2-byte code points.
        assertEquals(128, validStringsOfLength(1));
        assertEquals(128 * 128 + 1920, validStringsOfLength(2));
        assertEquals(128L * 128 * 128 + 2 * 128 * 1920 + 61440, validStringsOfLength(3));
    }

    @Nested
    class Reference {

        @Test
        void everyScalarValueTheJdkEncodesIsOneValidSequenceAndNothingElseIs() {
            StringBuilder text = new StringBuilder(0x110000 * 2);
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
                if (cp < 0xD800 || cp > 0xDFFF) {
                    text.appendCodePoint(cp);
                }
            }
            byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(VALID_1 + 2L * VALID_2 + 3L * VALID_3 + 4L * VALID_4, bytes.length);
            Mismatches mismatches = new Mismatches();
            int at = 0;
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    // A surrogate encoded as if it were a scalar value: ED A0..BF xx, rejected at its second byte.
                    byte[] cesu = {(byte) 0xED, (byte) (0x80 | (cp >> 6 & 0x3F)), (byte) (0x80 | (cp & 0x3F))};
                    if (Rfc3629.firstInvalid(cesu) != 1) {
                        mismatches.add("surrogate " + Rfc3629.hex(cesu) + " accepted");
                    }
                    continue;
                }
                int length = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (Rfc3629.sequenceLength(bytes[at]) != length || Rfc3629.firstInvalid(bytes, at, at + length) >= 0) {
                    mismatches.add("U+" + Integer.toHexString(cp) + ": " + Rfc3629.hex(bytes, at, at + length));
                }
                at += length;
            }
            mismatches.assertNone();
            // The whole code space through the streaming validator, in pieces that split code points, from a
            // heap array and from a direct buffer. (Pieces, not one call: the JIT compiles the vector kernel
            // after a few calls, while one huge call would run it in the interpreter for seconds.)
            assertEquals(-1, Rfc3629.firstInvalid(bytes));
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            Utf8Validator fromArray = new Utf8Validator();
            Utf8Validator fromDirect = new Utf8Validator();
            for (int from = 0; from < bytes.length; from += 1021) {
                int to = Math.min(bytes.length, from + 1021);
                assertEquals(-1, fromArray.feed(bytes, from, to));
                assertEquals(-1, fromDirect.feed(direct, from, to));
            }
            assertTrue(fromArray.isComplete());
            assertTrue(fromDirect.isComplete());
            assertEquals(bytes.length, fromDirect.acceptedBytes());
        }
    }

    @Nested
    class ExactAutomaton {

        @Test
        void everyOneTwoAndThreeByteSequenceGetsTheReferenceVerdictInOneScan() {
            Mismatches mismatches = new Mismatches();
            for (int length = 1; length <= 3; length++) {
                byte[] seq = new byte[length];
                MemorySegment segment = MemorySegment.ofArray(seq);
                long valid = 0;
                for (int v = 0; v < 1 << (8 * length); v++) {
                    fill(seq, length, v);
                    int expected = Rfc3629.firstInvalid(seq, 0, length);
                    valid += expected < 0 ? 1 : 0;
                    long fromArray = KernelProbe.verdict(Utf8Dfa.scan(seq, 0, length, Utf8Dfa.ACCEPT));
                    long fromSegment = KernelProbe.verdict(Utf8Dfa.scan(segment, 0, length, Utf8Dfa.ACCEPT));
                    if (fromArray != expected || fromSegment != expected) {
                        mismatches.add(Rfc3629.hex(seq) + ": expected " + expected + ", scan(byte[]) " + fromArray
                                + ", scan(segment) " + fromSegment);
                    }
                }
                assertEquals(validStringsOfLength(length), valid, "valid strings of length " + length);
            }
            mismatches.assertNone();
        }

        @Test
        void everyOneTwoAndThreeByteSequenceGetsTheReferenceVerdictStepByStep() {
            Mismatches mismatches = new Mismatches();
            byte[] seq = new byte[3];
            for (int length = 1; length <= 3; length++) {
                for (int v = 0; v < 1 << (8 * length); v++) {
                    fill(seq, length, v);
                    int expected = Rfc3629.firstInvalid(seq, 0, length);
                    int state = Utf8Dfa.ACCEPT;
                    int actual = -1;
                    for (int k = 0; k < length; k++) {
                        state = Utf8Dfa.step(state, seq[k]);
                        if (state == Utf8Dfa.REJECT) {
                            actual = k;
                            break;
                        }
                    }
                    if (actual < 0 && state != Utf8Dfa.ACCEPT) {
                        actual = length; // ends inside a code point
                    }
                    if (actual != expected) {
                        mismatches.add(Rfc3629.hex(seq, 0, length) + ": expected " + expected + ", stepped " + actual);
                    }
                }
            }
            mismatches.assertNone();
        }

        @Test
        void everyFourByteShapeGetsTheReferenceVerdictInOneScanAndStepByStep() {
            Mismatches mismatches = new Mismatches();
            byte[] seq = new byte[4];
            for (int s = 0; s < SHAPES; s++) {
                shape(seq, s);
                int expected = Rfc3629.firstInvalid(seq, 0, 4);
                long scanned = KernelProbe.verdict(Utf8Dfa.scan(seq, 0, 4, Utf8Dfa.ACCEPT));
                int state = Utf8Dfa.ACCEPT;
                int stepped = -1;
                for (int k = 0; k < 4 && stepped < 0; k++) {
                    state = Utf8Dfa.step(state, seq[k]);
                    stepped = state == Utf8Dfa.REJECT ? k : -1;
                }
                if (stepped < 0 && state != Utf8Dfa.ACCEPT) {
                    stepped = 4;
                }
                if (scanned != expected || stepped != expected) {
                    mismatches.add(Rfc3629.hex(seq) + ": expected " + expected + ", scan " + scanned + ", step "
                            + stepped);
                }
            }
            mismatches.assertNone();
        }
    }

    @Nested
    class StreamedByteByByte {

        /** Feeds {@code seq} a byte at a time and checks the validator's every answer against the reference. */
        private void check(Utf8Validator validator, byte[] seq, int length, Mismatches mismatches) {
            int expected = Rfc3629.firstInvalid(seq, 0, length);
            validator.reset();
            int failedAt = -1;
            for (int k = 0; k < length; k++) {
                int r = validator.feed(seq, k, k + 1);
                if (r >= 0) {
                    if (r != k) {
                        mismatches.add(Rfc3629.hex(seq, 0, length) + ": feed of byte " + k + " returned " + r);
                    }
                    failedAt = k;
                    break;
                }
            }
            boolean ok;
            if (expected < 0) {
                ok = failedAt < 0 && validator.isComplete() && !validator.hasFailed()
                        && validator.acceptedBytes() == length;
            } else if (expected == length) {
                ok = failedAt < 0 && !validator.isComplete() && !validator.hasFailed()
                        && validator.acceptedBytes() == length;
            } else {
                ok = failedAt == expected && validator.hasFailed() && !validator.isComplete()
                        && validator.acceptedBytes() == expected
                        // once failed, every later feed returns its from
                        && validator.feed(seq, length - 1, length) == length - 1;
            }
            if (!ok) {
                mismatches.add(Rfc3629.hex(seq, 0, length) + ": expected " + expected + ", failed at " + failedAt
                        + ", complete " + validator.isComplete() + ", failed " + validator.hasFailed()
                        + ", accepted " + validator.acceptedBytes());
            }
        }

        @Test
        void everyOneTwoAndThreeByteSequenceFedAByteAtATimeGetsTheReferenceVerdict() {
            Mismatches mismatches = new Mismatches();
            Utf8Validator validator = new Utf8Validator();
            byte[] seq = new byte[3];
            for (int length = 1; length <= 3; length++) {
                for (int v = 0; v < 1 << (8 * length); v++) {
                    fill(seq, length, v);
                    check(validator, seq, length, mismatches);
                }
            }
            mismatches.assertNone();
        }

        @Test
        void everyFourByteShapeFedAByteAtATimeGetsTheReferenceVerdict() {
            Mismatches mismatches = new Mismatches();
            Utf8Validator validator = new Utf8Validator();
            byte[] seq = new byte[4];
            for (int s = 0; s < SHAPES; s++) {
                shape(seq, s);
                check(validator, seq, 4, mismatches);
            }
            mismatches.assertNone();
        }

        @Test
        void everyFourByteShapeFedInEverySplitGetsTheReferenceVerdict() {
            Mismatches mismatches = new Mismatches();
            Utf8Validator validator = new Utf8Validator();
            byte[] seq = new byte[4];
            for (int s = 0; s < SHAPES; s++) {
                shape(seq, s);
                int expected = Rfc3629.firstInvalid(seq, 0, 4);
                for (int split = 0; split <= 4; split++) {
                    validator.reset();
                    int r = validator.feed(seq, 0, split);
                    if (r < 0) {
                        r = validator.feed(seq, split, 4);
                    }
                    int actual = r >= 0 ? r : validator.isComplete() ? -1 : 4;
                    if (actual != expected) {
                        mismatches.add(Rfc3629.hex(seq) + " split at " + split + ": expected " + expected
                                + ", got " + actual);
                    }
                }
            }
            mismatches.assertNone();
        }
    }
}
