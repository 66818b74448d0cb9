package dev.websock.benchmarks.transport;

import dev.websock.benchmarks.harness.ServerConsole;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.WriteCallback;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The echo handler for websock's transports: every byte read is copied into a pooled direct buffer (a read
 * buffer is valid only during {@code onRead}) and written back; the buffer returns to the pool when its write
 * completes. Reading pauses while the connection is unwritable. In the steady state it allocates nothing.
 *
 * <p>Writes complete in order, and a {@link WriteCallback} gets no per-write state, so the buffers in flight
 * wait in a small ring and {@link #completed} returns the oldest.
 */
final class WebsockEcho implements ConnectionHandler, WriteCallback {
    /** Reads up to this size take a small buffer, larger ones a large one. */
    static final int SMALL = 2048;
    static final int LARGE = 64 * 1024;

    /** Buffers shared by all connections of one server; thread-safe, because the virtual-thread transport runs connections on many threads. */
    static final class Pool {
        private final int size;
        private final ByteBuffer[] free = new ByteBuffer[4096];
        private int count;

        Pool(int size) {
            this.size = size;
        }

        synchronized ByteBuffer take() {
            if (count > 0) {
                ByteBuffer buffer = free[--count];
                free[count] = null;
                return buffer.clear();
            }
            return ByteBuffer.allocateDirect(size);
        }

        synchronized void give(ByteBuffer buffer) {
            if (count < free.length) {
                free[count++] = buffer;
            }
        }
    }

    private final Pool small;
    private final Pool large;
    private final AtomicInteger open;
    private ByteBuffer[] inFlight = new ByteBuffer[8];
    private int head;
    private int tail;
    private boolean paused;

    WebsockEcho(Pool small, Pool large, AtomicInteger open) {
        this.small = small;
        this.large = large;
        this.open = open;
    }

    @Override
    public void onOpen(Connection connection) {
        open.incrementAndGet();
        ServerConsole.noteIoThread();
    }

    @Override
    public void onRead(Connection connection, ByteBuffer data) {
        while (data.hasRemaining()) {
            ByteBuffer buffer = data.remaining() <= SMALL ? small.take() : large.take();
            int n = Math.min(buffer.remaining(), data.remaining());
            buffer.put(0, data, data.position(), n).limit(n);
            data.position(data.position() + n);
            push(buffer);
            connection.write(buffer, this);
        }
        if (!connection.isWritable() && !paused) {
            paused = true;
            connection.pauseReading();
        }
    }

    @Override
    public void onWritable(Connection connection) {
        if (paused) {
            paused = false;
            connection.resumeReading();
        }
    }

    @Override
    public void completed(Connection connection) {
        release(pop());
    }

    @Override
    public void failed(Connection connection, Throwable cause) {
        release(pop());
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        open.decrementAndGet();
    }

    private void release(ByteBuffer buffer) {
        if (buffer != null) {
            (buffer.capacity() == SMALL ? small : large).give(buffer);
        }
    }

    private void push(ByteBuffer buffer) {
        if (tail - head == inFlight.length) {
            ByteBuffer[] bigger = new ByteBuffer[inFlight.length * 2];
            for (int i = head; i < tail; i++) {
                bigger[i - head] = inFlight[i & (inFlight.length - 1)];
            }
            tail -= head;
            head = 0;
            inFlight = bigger;
        }
        inFlight[tail++ & (inFlight.length - 1)] = buffer;
    }

    private ByteBuffer pop() {
        if (head == tail) {
            return null;
        }
        int slot = head++ & (inFlight.length - 1);
        ByteBuffer buffer = inFlight[slot];
        inFlight[slot] = null;
        return buffer;
    }

    /**
     * The handler of the idle-connection memory mode: one instance for all, so it holds nothing per connection. It
     * echoes what comes (the one short message the mode sends on each connection) in a copy of its own, which is
     * garbage once written.
     */
    static final class Idle implements ConnectionHandler {
        private final AtomicInteger open;

        Idle(AtomicInteger open) {
            this.open = open;
        }

        @Override
        public void onOpen(Connection connection) {
            open.incrementAndGet();
        }

        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            connection.write(copy, WriteCallback.NONE);
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
            open.decrementAndGet();
        }
    }
}
