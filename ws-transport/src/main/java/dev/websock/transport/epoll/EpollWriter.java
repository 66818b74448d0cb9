package dev.websock.transport.epoll;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.websock.transport.tasks.WriteQueue;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The gathering write of a connection's {@link WriteQueue} to its socket.
 *
 * <p>A write fills the loop's iovec array from the queue: a direct buffer of {@link #BY_ADDRESS_MIN} bytes or
 * more goes by its own address; a heap buffer, whose address is not stable (the collector moves arrays), and a
 * small direct buffer are copied into the loop's staging memory, where consecutive ones become one iovec. One
 * writev(2) then sends them all. Copying a small buffer costs less than the segment object that finding a
 * direct buffer's address allocates.
 */
final class EpollWriter {
    /** Direct buffers at least this large are written from where they are instead of being copied. */
    static final int BY_ADDRESS_MIN = 2048;

    private EpollWriter() {}

    /**
     * Writes as much as the socket takes, completing the writes that finished, in order. Returns the number of
     * bytes written; the queue is left non-empty only when the socket's send buffer is full, and then an EPOLLOUT
     * edge follows once it has room (a short write sets SOCK_NOSPACE, whose clearing wakes the epoll instance).
     */
    static long writeTo(WriteQueue queue, EpollEventLoop loop, int fd, EpollConnection connection) throws IOException {
        long written = 0;
        MemorySegment iov = loop.iov;
        ByteBuffer staging = loop.staging;
        long stagingAddress = loop.stagingAddress;
        int stagingCapacity = staging.capacity();
        // A callback may also abort the connection, which closes fd at once and frees its number for the next
        // accept or open: no system call on fd after that, or another peer would get this one's bytes.
        while (!queue.isEmpty() && !connection.descriptorClosed()) {
            // Callbacks may write again (re-entering add); head and tail are re-read after each of them.
            int count = 0;
            long offered = 0;
            int staged = 0;
            int run = 0; // where the staged bytes not yet in an iovec begin
            // Each buffer adds at most two iovecs (the staged run it interrupts, and its own), the end one more.
            for (int i = queue.head(); i < queue.tail() && count < EpollEventLoop.IOV_COUNT - 1; i++) {
                ByteBuffer buffer = queue.buffer(i);
                int remaining = buffer.remaining();
                if (buffer.isDirect() && remaining >= BY_ADDRESS_MIN) {
                    if (staged > run) {
                        count = iovec(iov, count, stagingAddress + run, staged - run);
                        run = staged;
                    }
                    // The segment starts at the buffer's position.
                    count = iovec(iov, count, MemorySegment.ofBuffer(buffer).address(), remaining);
                    offered += remaining;
                    continue;
                }
                int n = Math.min(remaining, stagingCapacity - staged);
                staging.put(staged, buffer, buffer.position(), n);
                staged += n;
                offered += n;
                if (n < remaining) {
                    break; // staging is full: what follows must wait for the next round
                }
            }
            if (staged > run) {
                count = iovec(iov, count, stagingAddress + run, staged - run);
            }
            long n = 0;
            if (offered > 0) {
                n = loop.sys.writev(fd, iov.address(), count);
                queue.advance(n);
                written += n;
            }
            queue.completeWritten(connection);
            if (n < offered) {
                break; // the socket buffer is full: wait for EPOLLOUT
            }
        }
        return written;
    }

    /** Sets iovec number {@code count} to {@code length} bytes at {@code address}; returns the new count. */
    private static int iovec(MemorySegment iov, int count, long address, long length) {
        iov.set(JAVA_LONG, (long) count * Syscalls.IOVEC_SIZE, address);
        iov.set(JAVA_LONG, (long) count * Syscalls.IOVEC_SIZE + 8, length);
        return count + 1;
    }

}
