package dev.websock.utf8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Unmasker}: RFC 6455 §5.3 masking through the public API, on every kind of memory it takes. */
class UnmaskerTest {

    static final int MAX_LENGTH = 1024;

    /** The definition, applied to a copy of everything: region bytes XORed with key byte (phase + i) mod 4. */
    static byte[] plainUnmask(byte[] all, int from, int to, int mask, int phase) {
        byte[] out = all.clone();
        for (int i = 0; i < to - from; i++) {
            out[from + i] ^= (byte) (mask >>> (24 - 8 * ((phase + i) & 3)));
        }
        return out;
    }

    static Stream<Container> writable() {
        return Stream.of(Container.values()).filter(c -> c != Container.READ_ONLY_HEAP_BUFFER);
    }

    private static byte[] random(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void theRfc6455ExampleUnmasksToHello() {
        // RFC 6455 §5.7: masking key 37 FA 21 3D, masked payload 7F 9F 4D 51 58.
        byte[] payload = Rfc3629.hex("7F 9F 4D 51 58");
        int mask = ByteBuffer.wrap(Rfc3629.hex("37 FA 21 3D")).getInt();
        assertEquals(1, Unmasker.unmask(payload, 0, 5, mask, 0));
        assertEquals("Hello", new String(payload, StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @MethodSource("writable")
    void everyLengthAndPhaseMatchesThePlainLoopAndUnmaskingTwiceRestores(Container container) {
        SplittableRandom random = new SplittableRandom(container.ordinal());
        Mismatches mismatches = new Mismatches();
        for (int length = 0; length <= MAX_LENGTH; length++) {
            int offset = length % 6;
            {
                Container.Placed placed = container.place(random(random, length), offset, 3);
                for (int phase = 0; phase < 4; phase++) {
                    int mask = random.nextInt();
                    byte[] before = placed.contents();
                    int next = placed.unmask(offset, offset + length, mask, phase);
                    boolean ok = Arrays.equals(plainUnmask(before, offset, offset + length, mask, phase),
                            placed.contents()) && next == ((phase + length) & 3);
                    placed.unmask(offset, offset + length, mask, phase);
                    ok &= Arrays.equals(before, placed.contents());
                    if (!ok) {
                        mismatches.add(container + " offset " + offset + " length " + length + " phase " + phase
                                + " next " + next);
                    }
                }
            }
        }
        mismatches.assertNone();
    }

    @Test
    void buffersKeepTheirPositionAndLimit() {
        for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocate(100), ByteBuffer.allocateDirect(100)}) {
            buffer.position(7).limit(90);
            Unmasker.unmask(buffer, 2, 88, 0x12345678, 1);
            Unmasker.unmaskCopy(buffer, 0, buffer, 50, 30, 0x12345678, 1);
            assertEquals(7, buffer.position());
            assertEquals(90, buffer.limit());
        }
    }

    static Stream<Arguments> copyPairs() {
        return Stream.of(
                Arguments.of(Container.BYTE_ARRAY, Container.BYTE_ARRAY),
                Arguments.of(Container.HEAP_BUFFER, Container.HEAP_BUFFER),
                Arguments.of(Container.HEAP_BUFFER_SLICE, Container.HEAP_BUFFER),
                Arguments.of(Container.HEAP_BUFFER, Container.DIRECT_BUFFER),
                Arguments.of(Container.DIRECT_BUFFER, Container.HEAP_BUFFER_SLICE),
                Arguments.of(Container.DIRECT_BUFFER, Container.DIRECT_BUFFER),
                Arguments.of(Container.READ_ONLY_HEAP_BUFFER, Container.DIRECT_BUFFER),
                Arguments.of(Container.NATIVE_SEGMENT, Container.NATIVE_SEGMENT),
                Arguments.of(Container.HEAP_SEGMENT, Container.NATIVE_SEGMENT),
                Arguments.of(Container.NATIVE_SEGMENT, Container.HEAP_SEGMENT));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("copyPairs")
    void unmaskCopyWritesWhatInPlaceWouldAndLeavesTheSourceAlone(Container from, Container to) {
        SplittableRandom random = new SplittableRandom(7);
        Mismatches mismatches = new Mismatches();
        for (int length = 0; length <= MAX_LENGTH; length++) {
            int phase = length & 3;
            int srcFrom = length % 3;
            int dstFrom = length % 5;
            int mask = random.nextInt();
            byte[] payload = random(random, length);
            Container.Placed src = from.place(payload, srcFrom, 2);
            Container.Placed dst = to.place(random(random, length), dstFrom, 4);
            byte[] srcBefore = src.contents();
            byte[] dstBefore = dst.contents();
            int next = src.unmaskCopy(srcFrom, dst, dstFrom, length, mask, phase);

            byte[] expected = dstBefore.clone();
            byte[] inPlace = plainUnmask(srcBefore, srcFrom, srcFrom + length, mask, phase);
            System.arraycopy(inPlace, srcFrom, expected, dstFrom, length);
            if (!Arrays.equals(expected, dst.contents()) || !Arrays.equals(srcBefore, src.contents())
                    || next != ((phase + length) & 3)) {
                mismatches.add(from + " to " + to + " length " + length + " phase " + phase);
            }
        }
        mismatches.assertNone();
    }

    @ParameterizedTest
    @MethodSource("writable")
    void unmaskingInRandomPiecesThreadingThePhaseEqualsUnmaskingWhole(Container container) {
        SplittableRandom random = new SplittableRandom(11 + container.ordinal());
        for (int trial = 0; trial < 200; trial++) {
            int length = random.nextInt(3000);
            int mask = random.nextInt();
            int firstPhase = random.nextInt(4);
            Container.Placed whole = container.place(random(random, length), 1, 1);
            Container.Placed pieces = container.place(Arrays.copyOfRange(whole.contents(), 1, 1 + length), 1, 1);
            whole.unmask(1, 1 + length, mask, firstPhase);
            int phase = firstPhase;
            int at = 1;
            while (at < 1 + length) {
                int n = Math.min(1 + length - at, random.nextInt(10) == 0 ? 0 : random.nextInt(1, 200));
                phase = pieces.unmask(at, at + n, mask, phase);
                at += n;
            }
            assertArrayEquals(whole.contents(), pieces.contents(), container + " trial " + trial);
            assertEquals((firstPhase + length) & 3, phase);
        }
    }

    @Nested
    class BadIndices {

        @ParameterizedTest
        @MethodSource("dev.websock.utf8.UnmaskerTest#writable")
        void throwBeforeAnyByteChanges(Container container) {
            Container.Placed placed = container.place(new byte[40], 4, 4);
            int size = placed.size();
            byte[] before = placed.contents();
            int[][] bad = {{-1, 3}, {5, 4}, {0, size + 1}, {size + 1, size + 2}, {Integer.MIN_VALUE, 2}};
            for (int[] region : bad) {
                assertThrows(IndexOutOfBoundsException.class,
                        () -> placed.unmask(region[0], region[1], 0x01020304, 0),
                        () -> Arrays.toString(region));
                assertArrayEquals(before, placed.contents(), "unchanged after " + Arrays.toString(region));
            }
        }

        @Test
        void buffersAreBoundedByTheirLimitNotTheirCapacity() {
            for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocate(64), ByteBuffer.allocateDirect(64)}) {
                buffer.limit(40);
                assertThrows(IndexOutOfBoundsException.class, () -> Unmasker.unmask(buffer, 0, 41, -1, 0));
                assertThrows(IndexOutOfBoundsException.class,
                        () -> Unmasker.unmaskCopy(buffer, 30, buffer, 0, 11, -1, 0));
                assertThrows(IndexOutOfBoundsException.class,
                        () -> Unmasker.unmaskCopy(buffer, 0, buffer, 30, 11, -1, 0));
                byte[] all = new byte[64];
                buffer.limit(64).get(0, all);
                assertArrayEquals(new byte[64], all, "unchanged");
            }
        }

        @Test
        void unmaskCopyChecksBothRegionsBeforeWriting() {
            byte[] src = new byte[16];
            Arrays.fill(src, (byte) 1);
            byte[] dst = new byte[16];
            int[][] bad = {{0, 0, 17}, {10, 0, 7}, {0, 10, 7}, {-1, 0, 3}, {0, -1, 3}, {0, 0, -1}};
            for (int[] c : bad) {
                assertThrows(IndexOutOfBoundsException.class,
                        () -> Unmasker.unmaskCopy(src, c[0], dst, c[1], c[2], 0x0F0F0F0F, 0), Arrays.toString(c));
                assertArrayEquals(new byte[16], dst, "dst unchanged after " + Arrays.toString(c));
            }
            MemorySegment s = MemorySegment.ofArray(src);
            MemorySegment d = MemorySegment.ofArray(dst);
            assertThrows(IndexOutOfBoundsException.class, () -> Unmasker.unmaskCopy(s, 0, d, 10, 7, 1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> Unmasker.unmaskCopy(s, 10, d, 0, 7, 1, 0));
            ByteBuffer sb = ByteBuffer.wrap(src);
            ByteBuffer db = ByteBuffer.allocateDirect(16);
            assertThrows(IndexOutOfBoundsException.class, () -> Unmasker.unmaskCopy(sb, 0, db, 10, 7, 1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> Unmasker.unmaskCopy(sb, 10, db, 0, 7, 1, 0));
            assertArrayEquals(new byte[16], dst);
            assertEquals(0, db.get(0));
        }
    }
}
