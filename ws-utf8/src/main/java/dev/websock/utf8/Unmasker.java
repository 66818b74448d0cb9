package dev.websock.utf8;

import dev.websock.utf8.kernel.Kernels;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * XOR (un)masking of frame payloads (RFC 6455 §5.3): byte {@code i} of the payload is XORed with byte
 * {@code i mod 4} of the masking key. Masking and unmasking are the same operation.
 *
 * <p>The {@code mask} is the four key bytes in wire order as a big-endian {@code int}, as
 * {@link ByteBuffer#getInt()} reads them from a frame header. A payload arrives in pieces, so each call
 * takes the {@code phase} (0..3), the key byte for the region's first byte, and returns the phase for the
 * byte after it: pass it to the call for the next piece.
 *
 * <p>Thread-safe and allocation-free once warm (the {@code ByteBuffer} forms view a direct buffer as a
 * {@link MemorySegment}, and each thread keeps its views of the last two buffers it passed). Regions are
 * given by absolute indices; no buffer's position or limit changes. Bad indices throw
 * {@link IndexOutOfBoundsException} before any byte is changed.
 */
public final class Unmasker {

    private Unmasker() {}

    /** Unmasks {@code a[from, to)} in place; returns the phase for byte {@code to}. */
    public static int unmask(byte[] a, int from, int to, int mask, int phase) {
        Objects.checkFromToIndex(from, to, a.length);
        return Kernels.ACTIVE.unmask(a, from, a, from, to - from, mask, phase);
    }

    /** Unmasks {@code buf[from, to)} in place (heap or direct; indices below the limit). */
    public static int unmask(ByteBuffer buf, int from, int to, int mask, int phase) {
        Objects.checkFromToIndex(from, to, buf.limit());
        if (buf.hasArray()) {
            int at = buf.arrayOffset() + from;
            return Kernels.ACTIVE.unmask(buf.array(), at, buf.array(), at, to - from, mask, phase);
        }
        MemorySegment whole = Regions.whole(buf);
        return Kernels.ACTIVE.unmask(whole, from, whole, from, to - from, mask, phase);
    }

    /** Unmasks {@code segment[from, to)} in place. */
    public static int unmask(MemorySegment segment, long from, long to, int mask, int phase) {
        Objects.checkFromToIndex(from, to, segment.byteSize());
        return Kernels.ACTIVE.unmask(segment, from, segment, from, to - from, mask, phase);
    }

    /**
     * Writes the unmasked {@code src[srcFrom, srcFrom + length)} to {@code dst} from {@code dstFrom}, for callers
     * that cannot unmask in place; returns the phase for the byte after the region. The two regions must not
     * overlap (what overlapping regions end up holding is unspecified); to unmask in place, use {@code unmask}.
     */
    public static int unmaskCopy(byte[] src, int srcFrom, byte[] dst, int dstFrom, int length, int mask, int phase) {
        Objects.checkFromIndexSize(srcFrom, length, src.length);
        Objects.checkFromIndexSize(dstFrom, length, dst.length);
        return Kernels.ACTIVE.unmask(src, srcFrom, dst, dstFrom, length, mask, phase);
    }

    /** {@link #unmaskCopy(byte[], int, byte[], int, int, int, int)} between buffers, heap or direct. */
    public static int unmaskCopy(ByteBuffer src, int srcFrom, ByteBuffer dst, int dstFrom, int length, int mask,
            int phase) {
        Objects.checkFromIndexSize(srcFrom, length, src.limit());
        Objects.checkFromIndexSize(dstFrom, length, dst.limit());
        if (src.hasArray() && dst.hasArray()) {
            return Kernels.ACTIVE.unmask(src.array(), src.arrayOffset() + srcFrom,
                    dst.array(), dst.arrayOffset() + dstFrom, length, mask, phase);
        }
        MemorySegment source = src.hasArray() ? MemorySegment.ofArray(src.array()).asSlice(src.arrayOffset())
                : Regions.whole(src);
        MemorySegment destination = dst.hasArray() ? MemorySegment.ofArray(dst.array()).asSlice(dst.arrayOffset())
                : Regions.whole(dst);
        return Kernels.ACTIVE.unmask(source, srcFrom, destination, dstFrom, length, mask, phase);
    }

    /** {@link #unmaskCopy(byte[], int, byte[], int, int, int, int)} between memory segments. */
    public static int unmaskCopy(MemorySegment src, long srcFrom, MemorySegment dst, long dstFrom, long length,
            int mask, int phase) {
        Objects.checkFromIndexSize(srcFrom, length, src.byteSize());
        Objects.checkFromIndexSize(dstFrom, length, dst.byteSize());
        return Kernels.ACTIVE.unmask(src, srcFrom, dst, dstFrom, length, mask, phase);
    }
}
