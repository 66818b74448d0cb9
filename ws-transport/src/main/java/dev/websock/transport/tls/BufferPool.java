package dev.websock.transport.tls;

import java.nio.ByteBuffer;

/**
 * Heap buffers of one size, big enough for any TLS record or its plaintext, shared by the connections of one
 * {@link TlsTransport}. Connections take buffers when bytes arrive or leave and give them back once nothing
 * is buffered, so an idle connection holds none (a million idle connections would otherwise pin 50 GB).
 *
 * <p>Thread-safe: connections on different event loops share it. A plain lock, because it is held for a few
 * instructions and a lock-free queue would allocate a node per release.
 */
final class BufferPool {
    private final int bufferSize;
    private final ByteBuffer[] free;
    private int count;

    /**
     * @param bufferSize the size of every pooled buffer, the larger of the session's packet and application
     *                   buffer sizes
     * @param capacity   how many free buffers are kept; more are dropped for the garbage collector
     */
    BufferPool(int bufferSize, int capacity) {
        this.bufferSize = bufferSize;
        this.free = new ByteBuffer[capacity];
    }

    int bufferSize() {
        return bufferSize;
    }

    /** A cleared buffer of at least {@code minimum} bytes; pooled when that fits the pool's size. */
    ByteBuffer acquire(int minimum) {
        if (minimum > bufferSize) {
            return ByteBuffer.allocate(minimum);
        }
        synchronized (this) {
            if (count > 0) {
                ByteBuffer buffer = free[--count];
                free[count] = null;
                return buffer.clear();
            }
        }
        return ByteBuffer.allocate(bufferSize);
    }

    /** Takes {@code buffer} back; the caller must not use it afterwards. */
    void release(ByteBuffer buffer) {
        if (buffer.capacity() != bufferSize) {
            return; // a one-off larger buffer: let it go
        }
        synchronized (this) {
            if (count < free.length) {
                free[count++] = buffer;
            }
        }
    }

    /** Free buffers held, for tests. */
    synchronized int available() {
        return count;
    }
}
