package dev.websock.transport.epoll;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.websock.transport.Connection;
import dev.websock.transport.WriteCallback;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The buffers a connection has accepted but not yet written, in order, and the gathering write that sends them.
 * The callback of a write sits next to its last buffer. Event loops lend queues to connections that have
 * something to write and take them back once empty, so an idle connection holds none.
 *
 * <p>A write fills the loop's iovec array from the queue: a direct buffer of {@link #BY_ADDRESS_MIN} bytes or
 * more goes by its own address; a heap buffer, whose address is not stable (the collector moves arrays), and a
 * small direct buffer are copied into the loop's staging memory, where consecutive ones become one iovec. One
 * writev(2) then sends them all. Copying a small buffer costs less than the segment object that finding a
 * direct buffer's address allocates.
 */
final class EpollOutboundQueue {
    private static final int INITIAL_CAPACITY = 16;
    /** Direct buffers at least this large are written from where they are instead of being copied. */
    static final int BY_ADDRESS_MIN = 2048;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

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

    long add(ByteBuffer buffer, WriteCallback callback) {
        ensureRoom(1);
        buffers[tail] = buffer;
        callbacks[tail++] = callback;
        return buffer.remaining();
    }

    /**
     * Writes as much as the socket takes, completing the writes that finished, in order. Returns the number of
     * bytes written; the queue is left non-empty only when the socket's send buffer is full, and then an EPOLLOUT
     * edge follows once it has room (a short write sets SOCK_NOSPACE, whose clearing wakes the epoll instance).
     */
    long writeTo(EpollEventLoop loop, int fd, Connection connection) throws IOException {
        long written = 0;
        MemorySegment iov = loop.iov;
        ByteBuffer staging = loop.staging;
        long stagingAddress = loop.stagingAddress;
        int stagingCapacity = staging.capacity();
        while (head < tail) {
            // Callbacks may write again (re-entering add); head and tail are re-read after each of them.
            int count = 0;
            long offered = 0;
            int staged = 0;
            int stagedIov = -1; // the iovec that ends where the staged bytes end, to extend
            for (int i = head; i < tail && count < EpollEventLoop.IOV_COUNT; i++) {
                ByteBuffer buffer = buffers[i];
                int remaining = buffer.remaining();
                if (remaining == 0) {
                    continue;
                }
                if (remaining >= BY_ADDRESS_MIN && buffer.isDirect()) {
                    long address = MemorySegment.ofBuffer(buffer).address(); // starts at the buffer's position
                    iov.set(JAVA_LONG, count * Syscalls.IOVEC_SIZE, address);
                    iov.set(JAVA_LONG, count * Syscalls.IOVEC_SIZE + 8, remaining);
                    count++;
                    offered += remaining;
                    continue;
                }
                int n = Math.min(remaining, stagingCapacity - staged);
                if (n == 0) {
                    break;
                }
                staging.put(staged, buffer, buffer.position(), n);
                if (stagedIov == count - 1 && stagedIov >= 0) {
                    long at = stagedIov * Syscalls.IOVEC_SIZE + 8;
                    iov.set(JAVA_LONG, at, iov.get(JAVA_LONG, at) + n);
                } else {
                    iov.set(JAVA_LONG, count * Syscalls.IOVEC_SIZE, stagingAddress + staged);
                    iov.set(JAVA_LONG, count * Syscalls.IOVEC_SIZE + 8, n);
                    stagedIov = count++;
                }
                staged += n;
                offered += n;
                if (n < remaining) {
                    break; // staging is full: what follows must wait for the next round
                }
            }
            long n = 0;
            if (offered > 0) {
                n = count == 1
                        ? loop.sys.write(fd, iov.get(JAVA_LONG, 0), offered)
                        : loop.sys.writev(fd, iov.address(), count);
                consume(n);
                written += n;
            }
            completeWritten(connection);
            if (n < offered) {
                break; // the socket buffer is full: wait for EPOLLOUT
            }
        }
        return written;
    }

    /** Advances the queued buffers past {@code bytes} written. */
    private void consume(long bytes) {
        for (int i = head; bytes > 0 && i < tail; i++) {
            ByteBuffer buffer = buffers[i];
            int taken = (int) Math.min(buffer.remaining(), bytes);
            buffer.position(buffer.position() + taken);
            bytes -= taken;
        }
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
}
