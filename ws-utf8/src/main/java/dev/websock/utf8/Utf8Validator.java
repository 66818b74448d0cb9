package dev.websock.utf8;

import dev.websock.utf8.kernel.Kernels;
import dev.websock.utf8.kernel.Utf8Dfa;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Validates one UTF-8 message fed in pieces that may split a code point anywhere, one byte at a time
 * included. RFC 6455 §8.1 requires an endpoint to fail a text message as soon as it is certain to be invalid,
 * even in the middle of a frame: {@link #feed} reports the earliest such byte. At the end of the message,
 * {@link #isComplete()} says whether it ended between code points. {@link #reset()} readies it for the next
 * message; one validator per connection is enough.
 *
 * <p>Not thread-safe (one connection's thread uses it). Allocation-free once warm; an int and a long of state,
 * so that an idle connection holds little (views of direct buffers are cached per thread, not here).
 */
public final class Utf8Validator {

    /**
     * The history once the message failed: {@code FF} is never part of valid UTF-8 (RFC 3629 §1), so no message
     * that is still valid ends with these bytes.
     */
    private static final int FAILED = -1;

    /**
     * The last three bytes of the message so far ({@link Utf8Dfa#history}), or {@link #FAILED}. Carried instead
     * of the automaton's state because the vector kernel starts the next piece with them, with no scalar work
     * at the seam; the state, when needed, follows from them ({@link Utf8Dfa#stateAfter}).
     */
    private int history;
    private long consumed;

    /**
     * Feeds {@code a[from, to)}. Returns {@code -1} while the message so far can still be valid UTF-8, else
     * the index of the first byte at which it can no longer be. Once that happened, every later call returns
     * {@code from} until {@link #reset()}.
     */
    public int feed(byte[] a, int from, int to) {
        Objects.checkFromToIndex(from, to, a.length);
        if (history == FAILED) {
            return from;
        }
        // After an ASCII byte nothing is open, so ASCII continues the message validly: most text pieces end here.
        int ascii = history >= 0 ? Kernels.asciiPrefix(a, from, to) : from;
        if (ascii != to) {
            int before = Utf8Dfa.history(history, a, from, ascii);
            int proven = Kernels.validPrefix(a, ascii, to, before);
            if (proven != to) {
                // The kernel saw an error, or left the piece to the automaton: the exact verdict and index.
                long scanned = Utf8Dfa.resume(a, ascii, proven, to, before);
                if (Utf8Dfa.stateOf(scanned) == Utf8Dfa.REJECT) {
                    return (int) fail(Utf8Dfa.indexOf(scanned), from);
                }
            }
        }
        history = Utf8Dfa.history(history, a, from, to);
        consumed += to - from;
        return -1;
    }

    /** {@link #feed(byte[], int, int)} for a buffer, heap or direct (indices below the limit). */
    public int feed(ByteBuffer buf, int from, int to) {
        Objects.checkFromToIndex(from, to, buf.limit());
        if (buf.hasArray()) {
            int offset = buf.arrayOffset();
            int result = feed(buf.array(), offset + from, offset + to);
            return result < 0 ? result : result - offset;
        }
        return (int) feed(Regions.whole(buf), from, to);
    }

    /** {@link #feed(byte[], int, int)} for a memory segment. */
    public long feed(MemorySegment segment, long from, long to) {
        Objects.checkFromToIndex(from, to, segment.byteSize());
        if (history == FAILED) {
            return from;
        }
        long ascii = history >= 0 ? Kernels.asciiPrefix(segment, from, to) : from;
        if (ascii != to) {
            int before = Utf8Dfa.history(history, segment, from, ascii);
            long proven = Kernels.validPrefix(segment, ascii, to, before);
            if (proven != to) {
                long scanned = Utf8Dfa.resume(segment, ascii, proven, to, before);
                if (Utf8Dfa.stateOf(scanned) == Utf8Dfa.REJECT) {
                    return fail(Utf8Dfa.indexOf(scanned), from);
                }
            }
        }
        history = Utf8Dfa.history(history, segment, from, to);
        consumed += to - from;
        return -1;
    }

    private long fail(long at, long from) {
        history = FAILED;
        consumed += at - from;
        return at;
    }

    /** Whether the bytes fed so far are valid UTF-8 ending between code points: the message may end here. */
    public boolean isComplete() {
        return history != FAILED && Utf8Dfa.stateAfter(history) == Utf8Dfa.ACCEPT;
    }

    /** Whether a byte fed so far made the message invalid. */
    public boolean hasFailed() {
        return history == FAILED;
    }

    /**
     * How many bytes of the message were accepted before it failed, or were fed so far: the offset of the bad
     * byte within the message, for an error message.
     */
    public long acceptedBytes() {
        return consumed;
    }

    /** Forgets the message, for the next one. */
    public void reset() {
        history = 0;
        consumed = 0;
    }
}
