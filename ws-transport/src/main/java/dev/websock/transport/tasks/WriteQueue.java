package dev.websock.transport.tasks;

import dev.websock.transport.Connection;
import dev.websock.transport.WriteCallback;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;

/**
 * The buffers an event-loop connection has accepted but not yet written, in order, kept in one array so that a
 * single gathering write can take them all; the callback of a write sits next to its last buffer. The NIO
 * transport writes it to its channel ({@link #writeTo(GatheringByteChannel, Connection)}); the epoll transport
 * builds its iovecs from {@link #buffer(int)} between {@link #head()} and {@link #tail()}, then calls
 * {@link #advance(long)} and {@link #completeWritten(Connection)}.
 *
 * <p>Event loops lend queues to connections that have something to write and take them back once they are
 * empty, so an idle connection holds none and steady-state writing allocates nothing. One thread only.
 */
public final class WriteQueue {
    private static final System.Logger LOG = System.getLogger(WriteQueue.class.getName());
    private static final int INITIAL_CAPACITY = 16;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private ByteBuffer[] buffers = new ByteBuffer[INITIAL_CAPACITY];
    private WriteCallback[] callbacks = new WriteCallback[INITIAL_CAPACITY];
    private int head;
    private int tail;

    public boolean isEmpty() {
        return head == tail;
    }

    /** The index of the oldest buffer not yet written. */
    public int head() {
        return head;
    }

    /** One past the index of the newest buffer. */
    public int tail() {
        return tail;
    }

    /** The buffer at {@code index}, between {@link #head()} and {@link #tail()}. */
    public ByteBuffer buffer(int index) {
        return buffers[index];
    }

    /** Appends buffers; returns the number of bytes they hold. */
    public long add(ByteBuffer[] source, int offset, int length, WriteCallback callback) {
        ensureRoom(Math.max(length, 1));
        if (length == 0) {
            // An empty write still completes in order: represent it by an empty buffer.
            buffers[tail] = EMPTY;
            callbacks[tail++] = callback;
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < length; i++) {
            ByteBuffer buffer = source[offset + i];
            bytes += buffer.remaining();
            buffers[tail] = buffer;
            callbacks[tail++] = null;
        }
        callbacks[tail - 1] = callback;
        return bytes;
    }

    public long add(ByteBuffer buffer, WriteCallback callback) {
        ensureRoom(1);
        buffers[tail] = buffer;
        callbacks[tail++] = callback;
        return buffer.remaining();
    }

    /**
     * Writes as much as the channel takes, completing the writes that finished, in order. Returns the number of
     * bytes written.
     */
    public long writeTo(GatheringByteChannel channel, Connection connection) throws IOException {
        long written = 0;
        // A callback may close the connection: the channel then throws ClosedChannelException, as it should.
        while (head < tail) {
            // Callbacks may write again (re-entering add); head and tail are re-read after each of them.
            // One buffer (most echoes and replies) goes through write(2), not writev(2), as Netty does: it skips
            // the JDK's native iovec array set-up and the kernel's iovec import. Measured +3% in a syscall-bound
            // echo, inside the noise (benchmarks/RESULTS.md).
            long n = tail - head == 1 ? channel.write(buffers[head]) : channel.write(buffers, head, tail - head);
            written += n;
            completeWritten(connection);
            if (n == 0) {
                break; // the socket buffer is full: wait for OP_WRITE
            }
        }
        return written;
    }

    /** Moves the queued buffers' positions past {@code bytes} written from them. */
    public void advance(long bytes) {
        for (int i = head; bytes > 0 && i < tail; i++) {
            ByteBuffer buffer = buffers[i];
            int taken = (int) Math.min(buffer.remaining(), bytes);
            buffer.position(buffer.position() + taken);
            bytes -= taken;
        }
    }

    /** Retires the buffers written in full, oldest first, completing their writes' callbacks. */
    public void completeWritten(Connection connection) {
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

    /**
     * Drops every queued buffer, failing the callbacks with {@code cause}. A callback that throws is logged and
     * the others still run: after this the connection's last callback, onClosed, must follow.
     */
    public void fail(Connection connection, Throwable cause) {
        while (head < tail) {
            WriteCallback callback = callbacks[head];
            buffers[head] = null;
            callbacks[head++] = null;
            if (callback != null) {
                try {
                    callback.failed(connection, cause);
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.WARNING, "a write callback's failed() threw for " + connection, e);
                }
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
}
