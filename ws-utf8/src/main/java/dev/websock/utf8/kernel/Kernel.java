package dev.websock.utf8.kernel;

import java.lang.foreign.MemorySegment;

/**
 * What a kernel does fast. Each operation has a {@code byte[]} and a {@link MemorySegment} form so that
 * neither heap arrays nor direct memory are wrapped per call (the hot paths allocate nothing).
 *
 * <p>Masks are the four masking-key bytes in wire order as a big-endian {@code int} (what
 * {@code ByteBuffer.getInt} reads from the frame header); the phase (0..3) is the key byte that applies to
 * the first byte of the region, because a frame's payload arrives in pieces (RFC 6455 §5.3).
 */
public interface Kernel {

    /** A short name for logs and benchmark reports, such as {@code vector-512} or {@code scalar}. */
    String name();

    /**
     * XORs {@code length} bytes of {@code src} from {@code srcFrom} with the key and stores them in
     * {@code dst} from {@code dstFrom}; {@code src} and {@code dst} may be the same region (in place), and must
     * not overlap otherwise.
     * Returns the phase for the byte after the region.
     */
    int unmask(byte[] src, int srcFrom, byte[] dst, int dstFrom, int length, int mask, int phase);

    /** {@link #unmask(byte[], int, byte[], int, int, int, int)} over memory segments. */
    int unmask(MemorySegment src, long srcFrom, MemorySegment dst, long dstFrom, long length, int mask, int phase);

    /**
     * Proves a prefix of {@code a[from, to)} valid as the continuation of a message that is valid so far and
     * ends with the three bytes packed in {@code history} ({@link Utf8Dfa#history}; {@code 0} at the start of a
     * message). Returns an index {@code b} such that the message stays valid through {@code a[b - 1]}; {@code b}
     * may fall inside a code point, and {@link Utf8Dfa#resume} runs the automaton from there for the exact
     * verdict. {@code b == to} means the whole region continues the message validly (a sequence may be left
     * open at {@code to}; the next region, or the end of the message, decides). Returning {@code from} is
     * always correct (the scalar kernel does); a fast kernel stops short of the first error it sees.
     */
    int validPrefix(byte[] a, int from, int to, int history);

    /** {@link #validPrefix(byte[], int, int, int)} over a memory segment. */
    long validPrefix(MemorySegment s, long from, long to, int history);

    /**
     * Proves a prefix of {@code a[from, to)} ASCII, in steps the kernel chooses: returns {@code b} such that
     * {@code a[from, b)} is ASCII; {@code b == to} when the whole region is. It may stop before the first byte
     * that is not ASCII, and returning {@code from} is always correct (the scalar kernel does). Small enough for
     * the JIT to inline into its caller: a piece of a message that is all ASCII (the most common text on a
     * WebSocket), at least four vector blocks long and following an ASCII byte, is then validated with no call
     * into the kernel's {@link #validPrefix}.
     */
    int asciiPrefix(byte[] a, int from, int to);

    /** {@link #asciiPrefix(byte[], int, int)} over a memory segment. */
    long asciiPrefix(MemorySegment s, long from, long to);

    /**
     * The shortest region {@link #validPrefix} does anything with; callers skip the call below it (short
     * inputs go straight to the automaton, with no call and no vector set-up).
     */
    int minPrefixLength();

    /** The key rotated so that its first (most significant) byte is the one for {@code phase}. */
    static int keyAt(int mask, int phase) {
        return Integer.rotateLeft(mask, 8 * (phase & 3));
    }
}
