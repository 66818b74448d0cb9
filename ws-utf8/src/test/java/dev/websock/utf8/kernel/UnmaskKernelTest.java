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
 * misaligned offsets, on arrays and on heap and native segments, in place and into another region.
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
     * Native regions long enough for the vector kernel to align its stores, with the destination at every offset
     * from a 64-byte boundary (so every misalignment of every vector length), with and without a tail, in every
     * phase: in place, and copying from a source misaligned differently.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void longNativeRegionsAtEveryAlignmentMatchThePlainLoop(Kernel kernel) {
        SplittableRandom random = new SplittableRandom(6);
        long from = VectorKernel.ALIGN_FROM;
        int[] lengths = {(int) from - 1, (int) from, (int) from + 1, (int) from + 63, (int) from + 64 + 5};
        Mismatches mismatches = new Mismatches();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(from + 256, 64);
            MemorySegment b = arena.allocate(from + 256, 64);
            for (int length : lengths) {
                byte[] original = random(random, length);
                for (int skew = 0; skew <= 64; skew++) {
                    int phase = (skew + length) & 3;
                    int mask = random.nextInt();
                    byte[] expected = plainUnmask(original, 0, length, mask, phase);
                    int want = (phase + length) & 3;

                    MemorySegment inPlace = a.asSlice(skew, length);
                    inPlace.copyFrom(MemorySegment.ofArray(original));
                    int inPlaceNext = kernel.unmask(inPlace, 0, inPlace, 0, length, mask, phase);
                    if (!Arrays.equals(expected, inPlace.toArray(ValueLayout.JAVA_BYTE)) || inPlaceNext != want) {
                        mismatches.add(kernel.name() + " in place, length " + length + " at " + skew
                                + " bytes past a 64-byte boundary, phase " + phase);
                    }

                    MemorySegment src = b.asSlice((skew * 7 + 3) % 64, length);
                    src.copyFrom(MemorySegment.ofArray(original));
                    MemorySegment dst = a.asSlice(skew, length);
                    int copyNext = kernel.unmask(src, 0, dst, 0, length, mask, phase);
                    if (!Arrays.equals(expected, dst.toArray(ValueLayout.JAVA_BYTE))
                            || !Arrays.equals(original, src.toArray(ValueLayout.JAVA_BYTE)) || copyNext != want) {
                        mismatches.add(kernel.name() + " copying, length " + length + " to " + skew
                                + " bytes past a 64-byte boundary, phase " + phase);
                    }
                }
            }
        }
        mismatches.assertNone();
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
