package dev.websock.transport.nio;

import dev.websock.transport.Connection;
import dev.websock.transport.WriteCallback;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;

/**
 * The buffers a connection has accepted but not yet written, in order, kept in one array so that a single
 * gathering write can take them all. The callback of a write sits next to its last buffer.
 *
 * <p>Event loops lend queues to connections that have something to write and take them back once they
 * are empty, so an idle connection holds none and steady-state writing allocates nothing.
 */
final class OutboundQueue {
    private static final int INITIAL_CAPACITY = 16;

    private ByteBuffer[] buffers = new ByteBuffer[INITIAL_CAPACITY];
    private WriteCallback[] callbacks = new WriteCallback[INITIAL_CAPACITY];
    private int head;
    private int tail;

    boolean isEmpty() {
        return head == tail;
    }

    /** Appends buffers; returns the number of bytes they hold. */
    long add(ByteBuffer[] source, int offset, int length, WriteCallback callback) {
        ensureRoom(Math.max(length, 1));
        long bytes = 0;
        if (length == 0) {
            // An empty write still completes in order: represent it by an empty buffer.
            buffers[tail] = EMPTY;
            callbacks[tail++] = callback;
            return 0;
        }
        for (int i = 0; i < length; i++) {
            ByteBuffer buffer = source[offset + i];
            bytes += buffer.remaining();
            buffers[tail] = buffer;
            callbacks[tail++] = null;
        }
        callbacks[tail - 1] = callback;
        return bytes;
    }

    long add(ByteBuffer buffer, WriteCallback callback) {
        ensureRoom(1);
        buffers[tail] = buffer;
        callbacks[tail++] = callback;
        return buffer.remaining();
    }

    /**
     * Writes as much as the channel takes, completing the writes that finished, in order. Returns the
     * number of bytes written.
     */
    long writeTo(GatheringByteChannel channel, Connection connection) throws IOException {
        long written = 0;
        while (head < tail) {
            // Callbacks may write again (re-entering add); head and tail are re-read after each of them.
            long n = channel.write(buffers, head, tail - head);
            written += n;
            completeWritten(connection);
            if (n == 0) {
                break; // the socket buffer is full: wait for OP_WRITE
            }
        }
        return written;
    }

    private void completeWritten(Connection connection) {
        while (head < tail && !buffers[head].hasRemaining()) {
            WriteCallback callback = callbacks[head];
            buffers[head] = null;
            callbacks[head++] = null;
            if (callback != null) {
                callback.completed(connection);
            }
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    /** Drops every queued buffer, failing the callbacks with {@code cause}. */
    void fail(Connection connection, Throwable cause) {
        while (head < tail) {
            WriteCallback callback = callbacks[head];
            buffers[head] = null;
            callbacks[head++] = null;
            if (callback != null) {
                callback.failed(connection, cause);
            }
        }
        head = 0;
        tail = 0;
    }

    private void ensureRoom(int count) {
        if (tail + count <= buffers.length) {
            return;
        }
        int live = tail - head;
        if (head > 0 && live + count <= buffers.length) {
            System.arraycopy(buffers, head, buffers, 0, live);
            System.arraycopy(callbacks, head, callbacks, 0, live);
            Arrays.fill(buffers, live, tail, null);
            Arrays.fill(callbacks, live, tail, null);
        } else {
            int capacity = Math.max(buffers.length * 2, live + count);
            ByteBuffer[] newBuffers = new ByteBuffer[capacity];
            WriteCallback[] newCallbacks = new WriteCallback[capacity];
            System.arraycopy(buffers, head, newBuffers, 0, live);
            System.arraycopy(callbacks, head, newCallbacks, 0, live);
            buffers = newBuffers;
            callbacks = newCallbacks;
        }
        head = 0;
        tail = live;
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
}
