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
 * <p>Not thread-safe (one connection's thread uses it). Allocation-free once warm; 32 bytes of state, so that
 * an idle connection holds little (views of direct buffers are cached per thread, not here).
 */
public final class Utf8Validator {

    private int state = Utf8Dfa.ACCEPT;
    private long consumed;

    /**
     * Feeds {@code a[from, to)}. Returns {@code -1} while the message so far can still be valid UTF-8, else
     * the index of the first byte at which it can no longer be. Once that happened, every later call returns
     * {@code from} until {@link #reset()}.
     */
    public int feed(byte[] a, int from, int to) {
        Objects.checkFromToIndex(from, to, a.length);
        if (state == Utf8Dfa.REJECT) {
            return from;
        }
        long settled = Utf8Dfa.settle(a, from, to, state);
        if (Utf8Dfa.stateOf(settled) == Utf8Dfa.ACCEPT) {
            settled = Kernels.scanFromBoundary(a, (int) Utf8Dfa.indexOf(settled), to);
        }
        return (int) record(settled, from, to);
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
        if (state == Utf8Dfa.REJECT) {
            return from;
        }
        long settled = Utf8Dfa.settle(segment, from, to, state);
        if (Utf8Dfa.stateOf(settled) == Utf8Dfa.ACCEPT) {
            settled = Kernels.scanFromBoundary(segment, Utf8Dfa.indexOf(settled), to);
        }
        return record(settled, from, to);
    }

    private long record(long scanned, long from, long to) {
        state = Utf8Dfa.stateOf(scanned);
        if (state == Utf8Dfa.REJECT) {
            long at = Utf8Dfa.indexOf(scanned);
            consumed += at - from;
            return at;
        }
        consumed += to - from;
        return -1;
    }

    /** Whether the bytes fed so far are valid UTF-8 ending between code points: the message may end here. */
    public boolean isComplete() {
        return state == Utf8Dfa.ACCEPT;
    }

    /** Whether a byte fed so far made the message invalid. */
    public boolean hasFailed() {
        return state == Utf8Dfa.REJECT;
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
        state = Utf8Dfa.ACCEPT;
        consumed = 0;
    }
}
