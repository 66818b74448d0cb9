package dev.websock.utf8.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.websock.utf8.Mismatches;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both kernels unmask like the plain loop of RFC 6455 §5.3 for every length up to 1024, every phase and
 * misaligned offsets, on arrays and on heap and native segments, in place and into another region; and so do
 * the long regions whose stores the vector kernel aligns.
 */
class UnmaskKernelTest {

    static final int MAX_LENGTH = 1024;
    static final int[] MASKS = {0x37FA213D, 0, 0xFFFFFFFF, 0x01020304, 0x80000001};

    static Stream<Kernel> kernels() {
        return Stream.of(ScalarKernel.INSTANCE, VectorKernel.INSTANCE);
    }

    /** The definition: byte i of the region is XORed with key byte (phase + i) mod 4, key bytes in wire order. */
    static byte[] plainUnmask(byte[] a, int from, int to, int mask, int phase) {
        byte[] out = a.clone();
        for (int i = 0; i < to - from; i++) {
            out[from + i] ^= (byte) (mask >>> (24 - 8 * ((phase + i) & 3)));
        }
        return out;
    }

    private static byte[] random(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void inPlaceOnArraysMatchesThePlainLoop(Kernel kernel) {
        SplittableRandom random = new SplittableRandom(1);
        Mismatches mismatches = new Mismatches();
        for (int offset : new int[] {0, 1, 3, 7}) {
            for (int length = 0; length <= MAX_LENGTH; length++) {
                byte[] original = random(random, offset + length + 5);
                for (int phase = 0; phase < 4; phase++) {
                    int mask = MASKS[(length + phase) % MASKS.length] ^ (length * 0x9E3779B9);
                    byte[] a = original.clone();
                    int next = kernel.unmask(a, offset, a, offset, length, mask, phase);
                    if (!Arrays.equals(plainUnmask(original, offset, offset + length, mask, phase), a)
                            || next != ((phase + length) & 3)) {
                        mismatches.add(kernel.name() + " offset " + offset + " length " + length + " phase " + phase
                                + " next " + next);
                    }
                }
            }
        }
        mismatches.assertNone();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void copyingOnArraysMatchesThePlainLoopAndLeavesTheSourceAlone(Kernel kernel) {
        SplittableRandom random = new SplittableRandom(2);
        Mismatches mismatches = new Mismatches();
        for (int length = 0; length <= MAX_LENGTH; length++) {
            for (int phase = 0; phase < 4; phase++) {
                int srcFrom = (length + phase) % 5;
                int dstFrom = (length * 3 + phase) % 7;
                int mask = random.nextInt();
                byte[] src = random(random, srcFrom + length + 2);
                byte[] srcBefore = src.clone();
                byte[] dst = random(random, dstFrom + length + 2);
                byte[] expected = dst.clone();
                byte[] unmasked = plainUnmask(src, srcFrom, srcFrom + length, mask, phase);
                System.arraycopy(unmasked, srcFrom, expected, dstFrom, length);
                int next = kernel.unmask(src, srcFrom, dst, dstFrom, length, mask, phase);
                if (!Arrays.equals(expected, dst) || !Arrays.equals(srcBefore, src) || next != ((phase + length) & 3)) {
                    mismatches.add(kernel.name() + " copy length " + length + " phase " + phase);
                }
            }
        }
        mismatches.assertNone();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void onHeapAndNativeSegmentsMatchesThePlainLoop(Kernel kernel) {
        SplittableRandom random = new SplittableRandom(3);
        Mismatches mismatches = new Mismatches();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeSrc = arena.allocate(MAX_LENGTH + 16);
            MemorySegment nativeDst = arena.allocate(MAX_LENGTH + 16);
            for (int length = 0; length <= MAX_LENGTH; length++) {
                for (int phase = 0; phase < 4; phase++) {
                    int offset = (length + phase) % 9;
                    int mask = random.nextInt();
                    byte[] original = random(random, offset + length + 3);
                    byte[] expected = plainUnmask(original, offset, offset + length, mask, phase);
                    int want = (phase + length) & 3;

                    byte[] heapArray = original.clone();
                    MemorySegment heap = MemorySegment.ofArray(heapArray);
                    int heapNext = kernel.unmask(heap, offset, heap, offset, length, mask, phase);

                    MemorySegment src = nativeSrc.asSlice(0, original.length);
                    src.copyFrom(MemorySegment.ofArray(original));
                    int inPlaceNext = kernel.unmask(src, offset, src, offset, length, mask, phase);
                    byte[] inPlace = src.toArray(ValueLayout.JAVA_BYTE);

                    src.copyFrom(MemorySegment.ofArray(original));
                    MemorySegment dst = nativeDst.asSlice(0, original.length);
                    dst.copyFrom(MemorySegment.ofArray(original));
                    int copyNext = kernel.unmask(src, offset, dst, offset, length, mask, phase);

                    if (!Arrays.equals(expected, heapArray) || !Arrays.equals(expected, inPlace)
                            || !Arrays.equals(expected, dst.toArray(ValueLayout.JAVA_BYTE))
                            || !Arrays.equals(original, src.toArray(ValueLayout.JAVA_BYTE))
                            || heapNext != want || inPlaceNext != want || copyNext != want) {
                        mismatches.add(kernel.name() + " segment length " + length + " phase " + phase);
                    }
                }
            }
        }
        mismatches.assertNone();
    }

    @Test
    void vectorAndScalarAgreeOnEveryLengthPhaseAndOffset() {
        SplittableRandom random = new SplittableRandom(4);
        int vl = KernelProbe.vectorLength();
        for (int length = 0; length <= MAX_LENGTH; length++) {
            for (int phase = 0; phase < 4; phase++) {
                int offset = (length * 7 + phase) % (vl + 1);
                int mask = random.nextInt();
                byte[] a = random(random, offset + length + 1);
                byte[] b = a.clone();
                int va = VectorKernel.INSTANCE.unmask(a, offset, a, offset, length, mask, phase);
                int sb = ScalarKernel.INSTANCE.unmask(b, offset, b, offset, length, mask, phase);
                assertArrayEquals(b, a, "length " + length + " phase " + phase);
                assertEquals(sb, va);
            }
        }
    }

    /**
     * Copies whose regions end at the end of their arrays (where a masked tail's last lane is the array's last
     * byte), and copies between two regions of one array that touch but do not overlap, at offsets up to a vector
     * length; three rounds, so that the JIT's compiled loop is checked too, not only the interpreter's.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void copiesToTheEndOfAnArrayAndBetweenRegionsOfOneArrayMatchThePlainLoop(Kernel kernel) {
        SplittableRandom random = new SplittableRandom(5);
        int vl = KernelProbe.vectorLength();
        Mismatches mismatches = new Mismatches();
        for (int round = 0; round < 3; round++) {
            for (int length = 0; length <= MAX_LENGTH; length++) {
                for (int phase = 0; phase < 4; phase++) {
                    int srcFrom = (length * 7 + phase) % (vl + 1);
                    int dstFrom = (length * 5 + 3 * phase) % (vl + 1);
                    int mask = random.nextInt();

                    byte[] src = random(random, srcFrom + length);
                    byte[] dst = random(random, dstFrom + length);
                    byte[] expected = dst.clone();
                    System.arraycopy(plainUnmask(src, srcFrom, srcFrom + length, mask, phase), srcFrom,
                            expected, dstFrom, length);
                    byte[] srcBefore = src.clone();
                    int next = kernel.unmask(src, srcFrom, dst, dstFrom, length, mask, phase);
                    if (!Arrays.equals(expected, dst) || !Arrays.equals(srcBefore, src)
                            || next != ((phase + length) & 3)) {
                        mismatches.add(kernel.name() + " to the end, length " + length + " phase " + phase
                                + " from " + srcFrom + " to " + dstFrom);
                    }

                    // One array: the destination right after the source, or right before it.
                    byte[] a = random(random, srcFrom + 2 * length + 1);
                    boolean after = (length + phase) % 2 == 0;
                    int from = after ? srcFrom : srcFrom + length;
                    int to = after ? srcFrom + length : srcFrom;
                    byte[] want = a.clone();
                    System.arraycopy(plainUnmask(a, from, from + length, mask, phase), from, want, to, length);
                    next = kernel.unmask(a, from, a, to, length, mask, phase);
                    if (!Arrays.equals(want, a) || next != ((phase + length) & 3)) {
                        mismatches.add(kernel.name() + " within one array, length " + length + " phase " + phase
                                + " from " + from + " to " + to);
                    }
                }
            }
        }
        mismatches.assertNone();
    }

    /**
     * Regions long enough for the vector kernel to align its stores: the destination at every offset from a 64-byte
     * boundary (every misalignment of every vector length), source and destination at different offsets into their
     * segments, with and without a tail, in every phase; in place and copying, native and heap; and the bytes around
     * the region untouched.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void longRegionsAtEveryAlignmentMatchThePlainLoop(Kernel kernel) {
        SplittableRandom random = new SplittableRandom(6);
        int from = (int) VectorKernel.ALIGN_FROM;
        int[] lengths = {from - 1, from, from + 1, from + 2, from + 63, from + 64 + 5};
        Mismatches mismatches = new Mismatches();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeA = arena.allocate(from + 512, 64);
            MemorySegment nativeB = arena.allocate(from + 512, 64);
            for (int length : lengths) {
                for (int skew = 0; skew <= 64; skew++) {
                    for (int phase = 0; phase < 4; phase++) {
                        int mask = random.nextInt();
                        int srcAt = 64 + (skew * 7 + phase) % 64;
                        int dstAt = 64 + skew;
                        boolean heap = (skew + phase) % 4 == 3;
                        MemorySegment a = heap ? MemorySegment.ofArray(new byte[(int) nativeA.byteSize()]) : nativeA;
                        MemorySegment b = heap ? MemorySegment.ofArray(new byte[(int) nativeB.byteSize()]) : nativeB;
                        String where = (heap ? "heap" : "native") + ", length " + length + ", destination " + skew
                                + " bytes past a 64-byte boundary, phase " + phase;

                        byte[] before = random(random, (int) a.byteSize());
                        a.copyFrom(MemorySegment.ofArray(before));
                        byte[] expected = plainUnmask(before, dstAt, dstAt + length, mask, phase);
                        int next = kernel.unmask(a, dstAt, a, dstAt, length, mask, phase);
                        if (!Arrays.equals(expected, a.toArray(ValueLayout.JAVA_BYTE))
                                || next != ((phase + length) & 3)) {
                            mismatches.add(kernel.name() + " in place, " + where);
                        }

                        byte[] source = random(random, (int) b.byteSize());
                        b.copyFrom(MemorySegment.ofArray(source));
                        a.copyFrom(MemorySegment.ofArray(before));
                        expected = before.clone();
                        System.arraycopy(plainUnmask(source, srcAt, srcAt + length, mask, phase), srcAt,
                                expected, dstAt, length);
                        next = kernel.unmask(b, srcAt, a, dstAt, length, mask, phase);
                        if (!Arrays.equals(expected, a.toArray(ValueLayout.JAVA_BYTE))
                                || !Arrays.equals(source, b.toArray(ValueLayout.JAVA_BYTE))
                                || next != ((phase + length) & 3)) {
                            mismatches.add(kernel.name() + " copying from " + srcAt + ", " + where);
                        }
                    }
                }
            }
        }
        mismatches.assertNone();
    }

    /**
     * Four MiB in one call, at an odd offset: the aligning step must happen once; were it taken again for every
     * vector, its recursion would overflow the stack.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void aFourMebibyteRegionAtAnOddOffsetMatchesThePlainLoop(Kernel kernel) {
        int length = 4 << 20;
        byte[] original = random(new SplittableRandom(7), length + 8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(length + 8, 64);
            s.copyFrom(MemorySegment.ofArray(original));
            assertEquals((2 + length) & 3, kernel.unmask(s, 5, s, 5, length, 0x37FA213D, 2));
            assertArrayEquals(plainUnmask(original, 5, 5 + length, 0x37FA213D, 2), s.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /** The aligning step starts the loop on the first multiple of the vector length, in native memory only. */
    @Test
    void theAlignedStartIsTheFirstMultipleOfTheVectorLengthInNativeMemoryAndNoneOnTheHeap() {
        int vl = KernelProbe.vectorLength();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment aligned = arena.allocate(256, 64);
            for (int at = 0; at < 2 * vl; at++) {
                long start = VectorKernel.alignedStart(aligned, at);
                assertEquals((vl - at % vl) % vl, start, "native, " + at + " bytes past a 64-byte boundary");
                assertEquals(start, VectorKernel.alignedStart(aligned.asSlice(at), 0), "the same, as a slice");
                assertEquals(0, VectorKernel.alignedStart(MemorySegment.ofArray(new byte[256]), at), "heap, " + at);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void keyBytesAreTakenInWireOrder(Kernel kernel) {
        // RFC 6455 §5.7: key 37 FA 21 3D unmasks 7F 9F 4D 51 58 to "Hello".
        byte[] payload = {0x7F, (byte) 0x9F, 0x4D, 0x51, 0x58};
        assertEquals(1, kernel.unmask(payload, 0, payload, 0, 5, 0x37FA213D, 0));
        assertArrayEquals("Hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), payload);
        assertEquals(0x3D37FA21, Kernel.keyAt(0x37FA213D, 3), "phase 3 starts with the key's last byte");
    }
}
