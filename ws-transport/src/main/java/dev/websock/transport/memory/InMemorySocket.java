package dev.websock.transport.memory;

import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.WriteCallback;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking client end of an in-memory connection, with streams like a {@link java.net.Socket}'s: for
 * server tests that send raw bytes and read raw replies, with the reads cut by the transport's
 * {@link Chunking} and no port in sight.
 *
 * <pre>{@code
 * InMemoryTransport transport = new InMemoryTransport(TransportOptions.defaults(), Chunking.random(1, 64, 7));
 * server.start(transport, new InMemoryAddress("ws"));                 // whatever listens there
 * try (InMemorySocket client = InMemorySocket.connect(transport, new InMemoryAddress("ws"))) {
 *     client.getOutputStream().write(upgradeRequest);
 *     byte[] head = client.getInputStream().readNBytes(129);
 * }
 * }</pre>
 *
 * <p>Reads block until bytes arrive, the stream ends ({@code -1}), the connection fails (the cause as an
 * {@link IOException}) or the {@linkplain #setSoTimeout timeout} passes ({@link SocketTimeoutException}).
 * Bytes not yet read are buffered up to 1 MiB; beyond that the socket stops reading, so the server meets
 * backpressure. Writes block while the connection is {@linkplain Connection#isWritable() unwritable}. Not
 * for use on the transport's own thread, which the blocking would stall: every method says so by throwing.
 */
public final class InMemorySocket implements AutoCloseable {

    /** Unread bytes above which reading pauses: enough for any test message, small enough to push back. */
    private static final int BUFFERED_LIMIT = 1024 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> unread = new ArrayDeque<>();
    private int unreadBytes;
    private int headOffset;
    private boolean paused;
    private boolean ended;
    private boolean closed;
    private Throwable failure;
    private long timeoutNanos = TimeUnit.SECONDS.toNanos(10);
    private final Connection connection;
    private final InputStream in = new In();
    private final OutputStream out = new Out();

    private InMemorySocket(InMemoryTransport transport, InMemoryAddress address) throws IOException {
        try {
            connection = transport.connect(address, new Handler()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("connecting to " + address + " took over 10 s; is the transport running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + address);
        }
    }

    /**
     * Connects to {@code address} in {@code transport} and waits until the connection is open.
     *
     * @throws java.net.ConnectException when nothing listens there
     */
    public static InMemorySocket connect(InMemoryTransport transport, InMemoryAddress address) throws IOException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        return new InMemorySocket(transport, address);
    }

    /** The connection under the streams, for what they do not offer (pausing, the queued-byte count). */
    public Connection connection() {
        return connection;
    }

    public InputStream getInputStream() {
        return in;
    }

    public OutputStream getOutputStream() {
        return out;
    }

    /** How long a read or a blocked write waits; default 10 s. {@code Duration.ZERO} waits forever. */
    public void setSoTimeout(Duration timeout) {
        lock.lock();
        try {
            timeoutNanos = timeout.isZero() ? Long.MAX_VALUE : timeout.toNanos();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the outbound stream (the server sees onReadShutdown); reading goes on. */
    public void shutdownOutput() {
        connection.shutdownOutput();
    }

    /** Resets the connection: the server sees onClosed with a cause. */
    public void abort() {
        connection.abort();
    }

    /** Closes gracefully; unread bytes are dropped. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        connection.close();
    }

    /** Whether the server has ended its stream or the connection has closed, and every byte was read. */
    public boolean isInputEnded() {
        lock.lock();
        try {
            return unreadBytes == 0 && (ended || failure != null);
        } finally {
            lock.unlock();
        }
    }

    private void notOnTransportThread() {
        if (connection.inConnectionThread()) {
            throw new IllegalStateException("an InMemorySocket blocks; use it from a test thread, not from the"
                    + " transport's thread, which it would stall");
        }
    }

    /** Waits on {@link #changed} until {@code deadline}; holds the lock. */
    private void awaitChange(long deadline, String what) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException(what + " timed out after "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; raise it with setSoTimeout");
        }
        try {
            changed.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during " + what);
        }
    }

    private long deadline() {
        long now = System.nanoTime();
        return timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : now + timeoutNanos;
    }

    private int read(byte[] into, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, into.length);
        notOnTransportThread();
        if (length == 0) {
            return 0;
        }
        boolean resume = false;
        int count;
        lock.lock();
        try {
            long deadline = deadline();
            while (unreadBytes == 0) {
                if (closed) {
                    throw new IOException("read on a closed InMemorySocket");
                }
                if (failure != null) {
                    throw new IOException("the in-memory connection failed: " + failure.getMessage(), failure);
                }
                if (ended) {
                    return -1;
                }
                awaitChange(deadline, "read");
            }
            count = 0;
            while (count < length && !unread.isEmpty()) {
                byte[] head = unread.peekFirst();
                int n = Math.min(length - count, head.length - headOffset);
                System.arraycopy(head, headOffset, into, offset + count, n);
                count += n;
                headOffset += n;
                if (headOffset == head.length) {
                    unread.pollFirst();
                    headOffset = 0;
                }
            }
            unreadBytes -= count;
            if (paused && unreadBytes <= BUFFERED_LIMIT / 2) {
                paused = false;
                resume = true;
            }
        } finally {
            lock.unlock();
        }
        if (resume) {
            connection.resumeReading();
        }
        return count;
    }

    private void write(byte[] from, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, from.length);
        notOnTransportThread();
        lock.lock();
        try {
            long deadline = deadline();
            while (!connection.isWritable() && failure == null && !closed) {
                awaitChange(deadline, "write (the server reads nothing)");
            }
            if (failure != null || closed || !connection.isOpen()) {
                throw new IOException("write on a closed in-memory connection"
                        + (failure != null ? ": " + failure.getMessage() : ""), failure);
            }
        } finally {
            lock.unlock();
        }
        // The connection keeps the buffer until its callback; the caller may reuse its array at once.
        connection.write(ByteBuffer.wrap(Arrays.copyOfRange(from, offset, offset + length)), WriteCallback.NONE);
    }

    /** Runs on the transport's thread and only fills the buffer the streams drain. */
    private final class Handler implements ConnectionHandler {
        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            lock.lock();
            try {
                unread.addLast(bytes);
                unreadBytes += bytes.length;
                if (unreadBytes > BUFFERED_LIMIT && !paused) {
                    paused = true;
                    connection.pauseReading();
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onWritable(Connection connection) {
            signal();
        }

        @Override
        public void onReadShutdown(Connection connection) {
            // Like a socket: the end of the server's stream does not close ours; close() does.
            lock.lock();
            try {
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
            lock.lock();
            try {
                ended = true;
                failure = cause;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void signal() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = InMemorySocket.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return InMemorySocket.this.read(b, off, len);
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return unreadBytes;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            InMemorySocket.this.close();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            InMemorySocket.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            InMemorySocket.this.write(b, off, len);
        }

        @Override
        public void close() {
            InMemorySocket.this.close();
        }
    }
}
