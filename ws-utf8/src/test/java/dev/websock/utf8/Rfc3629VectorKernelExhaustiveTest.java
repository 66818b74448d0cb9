package dev.websock.utf8;

import static dev.websock.utf8.Rfc3629ExhaustiveTest.SHAPES;
import static dev.websock.utf8.Rfc3629ExhaustiveTest.fill;
import static dev.websock.utf8.Rfc3629ExhaustiveTest.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.utf8.kernel.KernelProbe;
import dev.websock.utf8.kernel.Utf8Dfa;
import dev.websock.utf8.kernel.VectorKernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The sequences of {@link Rfc3629ExhaustiveTest} through the vector kernel: each sequence sits in a run of ASCII
 * at every position of a region two blocks and a tail long (at its start, where the first block's "previous"
 * bytes come from the history; in every lane of a block; across block boundaries; where the last block overlaps the one before; at
 * the end), and also ends the region. The verdict and index must be the reference's, and the prefix the kernel
 * proves must be valid. The bytes outside the region are garbage (a 4-byte lead before it, stray continuations
 * after it), so a kernel that reads before {@code from} or past {@code to} gets caught.
 */
class Rfc3629VectorKernelExhaustiveTest {

    private final int vl = KernelProbe.vectorLength();
    private final int from = 5;
    /** Two full blocks and a tail. */
    private final int regionLength = 2 * vl + 9;
    /** Sequence positions: every lane of both blocks, and the tail. */
    private final int positions = 2 * vl + 5;
    private final byte[] buf = new byte[from + regionLength + vl + 8];
    private final MemorySegment view = MemorySegment.ofArray(buf);
    private final Mismatches mismatches = new Mismatches();

    Rfc3629VectorKernelExhaustiveTest() {
        Arrays.fill(buf, (byte) 0x80);
        Arrays.fill(buf, 0, from, (byte) 0xF0);
        Arrays.fill(buf, from, from + regionLength, (byte) 'a');
    }

    /**
     * Places {@code seq[0, length)} at {@code from + p}; the region goes on in ASCII, or ends right after the
     * sequence. Checks the proven prefix and the verdict on the array; with {@code everyPath}, also on a segment
     * view and through {@link Utf8#firstInvalid(byte[], int, int)}.
     */
    private void check(byte[] seq, int length, int p, boolean endsRegion, boolean everyPath) {
        int at = from + p;
        System.arraycopy(seq, 0, buf, at, length);
        int to = endsRegion ? at + length : from + regionLength;
        if (endsRegion) {
            Arrays.fill(buf, to, from + regionLength, (byte) 0x80); // garbage past the end
        }
        int referenceEnd = endsRegion ? to : at + length + 1; // the sequence and the ASCII byte after it
        int expected = Rfc3629.firstInvalid(buf, at, referenceEnd);

        int b = VectorKernel.INSTANCE.validPrefix(buf, from, to, 0);
        int actual = (int) KernelProbe.verdict(Utf8Dfa.resume(buf, from, b, to, 0));
        long bs = b;
        long actualSegment = actual;
        int publicApi = actual;
        if (everyPath) {
            bs = VectorKernel.INSTANCE.validPrefix(view, from, to, 0);
            actualSegment = KernelProbe.verdict(Utf8Dfa.resume(view, from, bs, to, 0));
            publicApi = Utf8.firstInvalid(buf, from, to);
        }

        int provenEnd = Math.min(b, referenceEnd);
        int provenVerdict = b <= at ? -1 : Rfc3629.firstInvalid(buf, at, provenEnd);
        boolean prefixSound = b >= from && b <= to && (expected < 0 || b <= expected)
                // what the kernel proves is valid, though it may end inside a code point
                && (provenVerdict < 0 || provenVerdict == provenEnd)
                // on valid input the kernel proves the whole region (else it is never of use)
                && (expected >= 0 || !KernelProbe.provesWhole(to - from) || b == to);
        if (!prefixSound || actual != expected || bs != b || actualSegment != expected || publicApi != expected) {
            mismatches.add(Rfc3629.hex(seq, 0, length) + " at " + p + (endsRegion ? ", ending the region" : "")
                    + " (from " + from + ", to " + to + ", VL " + vl + "): expected " + expected
                    + ", validPrefix " + b + " (segment " + bs + "), verdict " + actual + " (segment "
                    + actualSegment + ", Utf8.firstInvalid " + publicApi + ")");
        }
        mismatches.checked();
        Arrays.fill(buf, at, endsRegion ? from + regionLength : at + length, (byte) 'a');
    }

    @Test
    void everyOneAndTwoByteSequenceAtEveryPositionAroundTheBlocksAndEndingTheRegion() {
        byte[] seq = new byte[2];
        for (int length = 1; length <= 2; length++) {
            for (int v = 0; v < 1 << (8 * length); v++) {
                fill(seq, length, v);
                for (int p = 0; p < positions; p++) {
                    check(seq, length, p, false, ((v + p) & 7) == 0);
                    if (((v + p) & 3) == 0) {
                        check(seq, length, p, true, ((v + p) & 7) == 4); // region ends: every fourth position
                    }
                }
            }
        }
        assertTrue(mismatches.checkedCount() > (long) positions * (256 + 65536));
        mismatches.assertNone();
    }

    @Test
    void everyThreeByteSequenceInsideAsciiAtRotatingPositionsAroundTheBlocks() {
        // All 2^24 sequences; the position cycles with the last byte, so every pair of first bytes meets every
        // position, and every position sees 2^24 / (2 VL + 5) sequences; every other cycle the sequence ends the
        // region.
        byte[] seq = new byte[3];
        for (int v = 0; v < 1 << 24; v++) {
            fill(seq, 3, v);
            check(seq, 3, v % positions, (v / positions & 1) == 1, (v & 0xFFF) == 0);
        }
        assertEquals(1 << 24, mismatches.checkedCount());
        mismatches.assertNone();
    }

    @Test
    void everyFourByteShapeAroundTheBlocks() {
        // Shapes with a 4-byte lead at every position; the others (a 4-byte lead's place taken by something
        // else) at every eighth position, rotating.
        byte[] seq = new byte[4];
        for (int s = 0; s < SHAPES; s++) {
            shape(seq, s);
            boolean fourByteLead = (seq[0] & 0xFF) >= 0xF0 && (seq[0] & 0xFF) <= 0xF4;
            for (int p = fourByteLead ? 0 : s & 7; p < positions; p += fourByteLead ? 1 : 8) {
                check(seq, 4, p, false, ((s + p) & 7) == 0);
            }
            check(seq, 4, s % positions, true, true);
        }
        mismatches.assertNone();
    }

    @Test
    void everyTwoByteSequenceEndingAShortRegionThatEndsItsArrayAndItsSegment() {
        // Regions shorter than VL + 3 bytes take one block with its lanes past the region masked off (512-bit
        // vectors). Here each region is a whole array and a whole native segment, ASCII up to the sequence, so the
        // block must not read past their ends; lengths from 2 to VL + 3 cover the automaton's, the block's and the
        // first loop's shares of the work.
        try (Arena arena = Arena.ofConfined()) {
            for (int length = 2; length <= vl + 3; length++) {
                byte[] a = new byte[length];
                Arrays.fill(a, (byte) 'a');
                MemorySegment segment = arena.allocate(length);
                for (int v = 0; v < 1 << 16; v++) {
                    a[length - 2] = (byte) (v >>> 8);
                    a[length - 1] = (byte) v;
                    segment.copyFrom(MemorySegment.ofArray(a));
                    int expected = Rfc3629.firstInvalid(a, 0, length);
                    int b = VectorKernel.INSTANCE.validPrefix(a, 0, length, 0);
                    int actual = (int) KernelProbe.verdict(Utf8Dfa.resume(a, 0, b, length, 0));
                    long bs = VectorKernel.INSTANCE.validPrefix(segment, 0, length, 0);
                    long actualSegment = KernelProbe.verdict(Utf8Dfa.resume(segment, 0, bs, length, 0));
                    if (actual != expected || actualSegment != expected || bs != b
                            || expected < 0 && KernelProbe.provesWhole(length) && b != length) {
                        mismatches.add(Rfc3629.hex(a, length - 2, length) + " ending " + length + " bytes (VL " + vl
                                + "): expected " + expected + ", validPrefix " + b + " (segment " + bs
                                + "), verdict " + actual + " (segment " + actualSegment + ")");
                    }
                    mismatches.checked();
                }
            }
        }
        assertEquals((long) (vl + 2) << 16, mismatches.checkedCount());
        mismatches.assertNone();
    }

    @Test
    void everyTwoByteSequenceStartingAShortRegionAfterEveryKindOfHistory() {
        // The first bytes of a short region that ends its array and its segment, after the last bytes of an earlier
        // piece that leave a sequence open (or not): the block's look-backs come from the history, and its load
        // from the end of the array. The verdict must be the reference's over the history and the region together.
        String[] histories = {"", "41", "C3", "C3 A9", "E2", "E2 82", "E2 82 AC", "F0", "F0 9F", "F0 9F 98",
                "F4 8F BF"};
        int[] lengths = {2, 15, 16, 17, 33, vl - 1, vl, vl + 1, vl + 2, vl + 3};
        try (Arena arena = Arena.ofConfined()) {
            for (String hex : histories) {
                byte[] before = Rfc3629.hex(hex);
                int history = Utf8Dfa.history(0, before, 0, before.length);
                for (int length : lengths) {
                    byte[] a = new byte[length];
                    byte[] whole = new byte[before.length + length];
                    System.arraycopy(before, 0, whole, 0, before.length);
                    Arrays.fill(a, (byte) 'a');
                    MemorySegment segment = arena.allocate(length);
                    for (int v = 0; v < 1 << 16; v++) {
                        a[0] = (byte) (v >>> 8);
                        a[1] = (byte) v;
                        System.arraycopy(a, 0, whole, before.length, length);
                        segment.copyFrom(MemorySegment.ofArray(a));
                        int reference = Rfc3629.firstInvalid(whole, 0, whole.length);
                        int expected = reference < 0 ? -1 : reference - before.length;
                        int b = VectorKernel.INSTANCE.validPrefix(a, 0, length, history);
                        int actual = (int) KernelProbe.verdict(Utf8Dfa.resume(a, 0, b, length, history));
                        long bs = VectorKernel.INSTANCE.validPrefix(segment, 0, length, history);
                        long actualSegment = KernelProbe.verdict(Utf8Dfa.resume(segment, 0, bs, length, history));
                        if (actual != expected || actualSegment != expected || bs != b
                                || expected < 0 && KernelProbe.provesWhole(length) && b != length) {
                            mismatches.add(Rfc3629.hex(a, 0, 2) + " starting " + length + " bytes after [" + hex
                                    + "] (VL " + vl + "): expected " + expected + ", validPrefix " + b + " (segment "
                                    + bs + "), verdict " + actual + " (segment " + actualSegment + ")");
                        }
                        mismatches.checked();
                    }
                }
            }
        }
        assertEquals((long) histories.length * lengths.length << 16, mismatches.checkedCount());
        mismatches.assertNone();
    }

    @Test
    void fourByteShapesInEveryPublicContainer() {
        // Utf8.firstInvalid over heap and direct buffers and native segments, at a non-zero offset, with the shape
        // at one of eight positions around the end of the first block.
        byte[] seq = new byte[4];
        int length = vl + 12;
        int offset = 3;
        byte[] array = new byte[offset + length];
        ByteBuffer direct = ByteBuffer.allocateDirect(offset + length);
        MemorySegment nativeSegment = MemorySegment.ofBuffer(direct);
        for (int s = 0; s < SHAPES; s++) {
            shape(seq, s);
            if ((seq[0] & 0xFF) < 0xF0 || (seq[0] & 0xFF) > 0xF4) {
                continue; // the 4-byte leads are enough to exercise the containers
            }
            Arrays.fill(array, (byte) 'x');
            System.arraycopy(seq, 0, array, offset + vl - 2 + (s & 7), 4);
            int r = Rfc3629.firstInvalid(array, offset, offset + length);
            direct.clear().put(array).clear();
            int heap = Utf8.firstInvalid(ByteBuffer.wrap(array), offset, offset + length);
            int dir = Utf8.firstInvalid(direct, offset, offset + length);
            long seg = Utf8.firstInvalid(nativeSegment, offset, offset + length);
            if (heap != r || dir != r || seg != r || Utf8.isValid(direct, offset, offset + length) != (r < 0)) {
                mismatches.add(Rfc3629.hex(seq) + ": expected " + r + ", heap " + heap + ", direct " + dir
                        + ", segment " + seg);
            }
        }
        mismatches.assertNone();
    }
}
