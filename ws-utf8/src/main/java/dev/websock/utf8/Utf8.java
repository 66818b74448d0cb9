package dev.websock.utf8;

import dev.websock.utf8.kernel.Kernels;
import dev.websock.utf8.kernel.Utf8Dfa;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One-shot UTF-8 validation (RFC 3629), strict: no overlong forms, no {@code C0}, {@code C1},
 * {@code F5}..{@code FF}, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no stray or missing
 * continuation bytes. For a text message that arrives in pieces, use {@link Utf8Validator}.
 *
 * <p>Thread-safe and allocation-free (except the {@code ByteBuffer} forms on direct or read-only buffers,
 * see {@link Unmasker}). Bad indices throw {@link IndexOutOfBoundsException}.
 */
public final class Utf8 {

    private Utf8() {}

    /** Whether {@code a[from, to)} is valid UTF-8 (complete: it does not end inside a code point). */
    public static boolean isValid(byte[] a, int from, int to) {
        return firstInvalid(a, from, to) < 0;
    }

    /** Whether {@code buf[from, to)} is valid UTF-8. */
    public static boolean isValid(ByteBuffer buf, int from, int to) {
        return firstInvalid(buf, from, to) < 0;
    }

    /** Whether {@code segment[from, to)} is valid UTF-8. */
    public static boolean isValid(MemorySegment segment, long from, long to) {
        return firstInvalid(segment, from, to) < 0;
    }

    /**
     * Where {@code a[from, to)} stops being valid UTF-8: {@code -1} when it is valid; else the index of the
     * first byte at which the bytes so far can no longer be the start of valid UTF-8; or {@code to} when
     * every byte is fine but the region ends inside a code point.
     */
    public static int firstInvalid(byte[] a, int from, int to) {
        Objects.checkFromToIndex(from, to, a.length);
        return (int) verdict(Kernels.scan(a, from, to, 0));
    }

    /** {@link #firstInvalid(byte[], int, int)} for a buffer, heap or direct (indices below the limit). */
    public static int firstInvalid(ByteBuffer buf, int from, int to) {
        Objects.checkFromToIndex(from, to, buf.limit());
        if (buf.hasArray()) {
            int offset = buf.arrayOffset();
            int result = firstInvalid(buf.array(), offset + from, offset + to);
            return result < 0 ? result : result - offset;
        }
        long result = firstInvalid(Regions.whole(buf), from, to);
        return result < 0 ? -1 : (int) result;
    }

    /** {@link #firstInvalid(byte[], int, int)} for a memory segment. */
    public static long firstInvalid(MemorySegment segment, long from, long to) {
        Objects.checkFromToIndex(from, to, segment.byteSize());
        return verdict(Kernels.scan(segment, from, to, 0));
    }

    private static long verdict(long scanned) {
        return Utf8Dfa.stateOf(scanned) == Utf8Dfa.ACCEPT ? -1 : Utf8Dfa.indexOf(scanned);
    }

    /**
     * The kernel in use, such as {@code vector-512}, {@code vector-256} or {@code scalar}: chosen once per JVM
     * (system property {@code dev.websock.utf8.kernel}: {@code auto}, {@code vector} or {@code scalar}).
     */
    public static String kernelName() {
        return Kernels.ACTIVE.name();
    }
}
