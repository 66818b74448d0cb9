package dev.websock.utf8.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The kernel for JVMs without the Vector API: unmasks eight bytes at a time; leaves all of UTF-8
 * validation to {@link Utf8Dfa} (which skips ASCII eight bytes at a time). The vector kernel unmasks heap arrays
 * in place, copies between arrays shorter than a vector and regions of memory shorter than 16 bytes here; and this
 * is the reference it is tested against.
 */
public final class ScalarKernel implements Kernel {

    public static final ScalarKernel INSTANCE = new ScalarKernel();

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong SEGMENT_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ScalarKernel() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int unmask(byte[] src, int srcFrom, byte[] dst, int dstFrom, int length, int mask, int phase) {
        if (src == dst && srcFrom == dstFrom) {
            return unmaskInPlace(src, srcFrom, length, mask, phase);
        }
        int key = Kernel.keyAt(mask, phase);
        long key8 = littleEndianKey8(key);
        int i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            LONG_LE.set(dst, dstFrom + i, (long) LONG_LE.get(src, srcFrom + i) ^ key8);
        }
        // Eight is a multiple of four, so the key is still at its first byte here.
        for (; i < length; i++) {
            dst[dstFrom + i] = (byte) (src[srcFrom + i] ^ (key >>> (24 - 8 * (i & 3))));
        }
        return (phase + length) & 3;
    }

    /**
     * The in-place loop, apart from the copy: C2 vectorizes a loop over two arrays only where it sees that they do
     * not overlap, as when that loop is inlined into a caller passing the same array and offset twice; compiled on
     * its own, as it is once long payloads keep it busy, it stayed scalar, and unmasking 1 MiB on the heap took
     * 81 µs instead of 12 (AMD EPYC, JDK 25; benchmarks/RESULTS.md). One array and one index leave nothing to prove.
     */
    private static int unmaskInPlace(byte[] a, int from, int length, int mask, int phase) {
        int key = Kernel.keyAt(mask, phase);
        long key8 = littleEndianKey8(key);
        int i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            LONG_LE.set(a, from + i, (long) LONG_LE.get(a, from + i) ^ key8);
        }
        for (; i < length; i++) {
            a[from + i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
        }
        return (phase + length) & 3;
    }

    @Override
    public int unmask(MemorySegment src, long srcFrom, MemorySegment dst, long dstFrom, long length, int mask,
            int phase) {
        if (src == dst && srcFrom == dstFrom) {
            return unmaskInPlace(src, srcFrom, length, mask, phase);
        }
        int key = Kernel.keyAt(mask, phase);
        long key8 = littleEndianKey8(key);
        long i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            dst.set(SEGMENT_LONG, dstFrom + i, src.get(SEGMENT_LONG, srcFrom + i) ^ key8);
        }
        for (; i < length; i++) {
            byte b = src.get(ValueLayout.JAVA_BYTE, srcFrom + i);
            dst.set(ValueLayout.JAVA_BYTE, dstFrom + i, (byte) (b ^ (key >>> (24 - 8 * (int) (i & 3)))));
        }
        return (int) ((phase + length) & 3);
    }

    /**
     * {@link #unmaskInPlace(byte[], int, int, int, int)} over a memory segment, for the same reason: compiled alone,
     * the loop over two segments unmasked 1 MiB of direct memory in place in 33.5 µs, this one in 11.6 µs (AMD EPYC,
     * JDK 25). Where the Vector API is missing, every direct buffer is unmasked here.
     */
    private static int unmaskInPlace(MemorySegment s, long from, long length, int mask, int phase) {
        int key = Kernel.keyAt(mask, phase);
        long key8 = littleEndianKey8(key);
        long i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            s.set(SEGMENT_LONG, from + i, s.get(SEGMENT_LONG, from + i) ^ key8);
        }
        for (; i < length; i++) {
            byte b = s.get(ValueLayout.JAVA_BYTE, from + i);
            s.set(ValueLayout.JAVA_BYTE, from + i, (byte) (b ^ (key >>> (24 - 8 * (int) (i & 3)))));
        }
        return (int) ((phase + length) & 3);
    }

    /** The key repeated twice, laid out so that a little-endian eight-byte load XORs byte for byte. */
    static long littleEndianKey8(int key) {
        long le = Integer.reverseBytes(key) & 0xFFFF_FFFFL;
        return le << 32 | le;
    }

    @Override
    public int validPrefix(byte[] a, int from, int to, int history) {
        return from;
    }

    @Override
    public int asciiPrefix(byte[] a, int from, int to) {
        return from;
    }

    @Override
    public long asciiPrefix(MemorySegment s, long from, long to) {
        return from;
    }

    @Override
    public int minPrefixLength() {
        return Integer.MAX_VALUE;
    }

    @Override
    public long validPrefix(MemorySegment s, long from, long to, int history) {
        return from;
    }
}
