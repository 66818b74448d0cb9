package dev.websock.transport.tls;

import dev.websock.transport.WriteCallback;
import java.nio.ByteBuffer;

/**
 * The application's writes waiting to be encrypted, in order: their buffers in one array, so that one
 * {@link javax.net.ssl.SSLEngine#wrap(ByteBuffer[], int, int, ByteBuffer) wrap} gathers many small writes into
 * one record, and each write's callback with the index just past its last buffer. Arrays are reused and only
 * grow, so steady-state writing allocates nothing; they are made at the first write, so a connection that
 * never writes (many idle ones) holds none. Used on the connection thread only.
 */
final class PlaintextQueue {
    private static final ByteBuffer[] NO_BUFFERS = {};
    private static final WriteCallback[] NO_CALLBACKS = {};
    private static final int[] NO_ENDS = {};

    private ByteBuffer[] buffers = NO_BUFFERS;
    private int head;
    private int tail;
    private WriteCallback[] callbacks = NO_CALLBACKS;
    private int[] ends = NO_ENDS;
    private int first;
    private int last;
    private long bytes;

    void add(ByteBuffer[] source, int offset, int length, WriteCallback callback) {
        if (tail + length > buffers.length) {
            makeRoom(length);
        }
        for (int i = 0; i < length; i++) {
            ByteBuffer buffer = source[offset + i];
            bytes += buffer.remaining();
            buffers[tail++] = buffer;
        }
        if (last == callbacks.length) {
            makeRoomForWrite();
        }
        callbacks[last] = callback;
        ends[last++] = tail;
    }

    private void makeRoom(int length) {
        int live = tail - head;
        ByteBuffer[] target = live + length <= buffers.length / 2
                ? buffers
                : new ByteBuffer[Math.max(Math.max(buffers.length * 2, 4), live + length)];
        System.arraycopy(buffers, head, target, 0, live);
        if (target == buffers) {
            java.util.Arrays.fill(buffers, live, tail, null);
        }
        buffers = target;
        for (int i = first; i < last; i++) {
            ends[i] -= head;
        }
        tail = live;
        head = 0;
    }

    private void makeRoomForWrite() {
        int live = last - first;
        if (callbacks.length > 0 && live <= callbacks.length / 2) {
            System.arraycopy(callbacks, first, callbacks, 0, live);
            System.arraycopy(ends, first, ends, 0, live);
            java.util.Arrays.fill(callbacks, live, last, null);
        } else {
            int length = Math.max(callbacks.length * 2, 2);
            WriteCallback[] moreCallbacks = new WriteCallback[length];
            int[] moreEnds = new int[length];
            System.arraycopy(callbacks, first, moreCallbacks, 0, live);
            System.arraycopy(ends, first, moreEnds, 0, live);
            callbacks = moreCallbacks;
            ends = moreEnds;
        }
        last = live;
        first = 0;
    }

    /** Whether no write is waiting, neither for encryption nor for its callback. */
    boolean isEmpty() {
        return first == last;
    }

    /** Plaintext bytes not yet encrypted. */
    long bytes() {
        return bytes;
    }

    ByteBuffer[] buffers() {
        return buffers;
    }

    /** The first buffer with bytes left, after {@link #skipDrained()}. */
    int head() {
        return head;
    }

    int length() {
        return tail - head;
    }

    /** Accounts for {@code consumed} bytes taken by the engine and steps past the drained buffers. */
    void consumed(int consumed) {
        bytes -= consumed;
        skipDrained();
    }

    void skipDrained() {
        while (head < tail && !buffers[head].hasRemaining()) {
            buffers[head++] = null;
        }
    }

    /** Whether the oldest write has been encrypted completely. */
    boolean firstCompleted() {
        return first < last && ends[first] <= head;
    }

    /** Removes the oldest write and returns its callback; with {@code discard}, even if it was not encrypted. */
    WriteCallback removeFirst(boolean discard) {
        WriteCallback callback = callbacks[first];
        callbacks[first++] = null;
        if (discard) {
            int end = ends[first - 1];
            while (head < end) {
                bytes -= buffers[head].remaining();
                buffers[head++] = null;
            }
        }
        if (first == last) {
            // Nothing waits: start again at the front so the arrays never need compacting in the steady state.
            while (head < tail) {
                bytes -= buffers[head].remaining();
                buffers[head++] = null;
            }
            first = last = head = tail = 0;
        }
        return callback;
    }
}
