package dev.websock.transport;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * One non-blocking, event-driven byte stream. Its events go to one {@link ConnectionHandler}, on the
 * connection thread.
 *
 * <p>Every method may be called from any thread. On the connection thread it acts at once; elsewhere it is
 * handed to the connection thread and acts there, in call order. Methods called after the connection closed
 * do nothing, except {@code write}, whose callback then fails.
 */
public interface Connection {

    /** The local address, such as the listener's address and port. */
    SocketAddress localAddress();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** The TLS session when this connection is carried by TLS (after its handshake), otherwise empty. */
    default Optional<SSLSession> tlsSession() {
        return Optional.empty();
    }

    /**
     * Queues {@code buffer} to be written after everything written before it. See
     * {@link #write(ByteBuffer[], int, int, WriteCallback)}.
     */
    void write(ByteBuffer buffer, WriteCallback callback);

    /**
     * Queues {@code length} buffers from {@code buffers[offset]} to be written, in order, after everything
     * written before them, with one gathering write where possible.
     *
     * <p>The buffers (from position to limit) belong to the transport until {@code callback} runs; the array
     * itself may be reused as soon as this method returns. Writes made during a callback on the connection
     * thread are flushed together when the callback returns, so several small writes cost one system call.
     * The callback runs on the connection thread, after this method has returned.
     *
     * <p>Writing never blocks and is never refused for volume: watch {@link #isWritable()}.
     */
    void write(ByteBuffer[] buffers, int offset, int length, WriteCallback callback);

    /**
     * Whether writing may go on. It turns {@code false} when the bytes queued for writing rise above the
     * high-water mark, and stays {@code false} until they have drained to the low-water mark, when
     * {@link ConnectionHandler#onWritable} is called: the gap between the marks keeps it from flapping.
     */
    boolean isWritable();

    /** Bytes accepted by {@code write} and not yet written to the network. */
    long queuedBytes();

    /**
     * Stops delivering reads until {@link #resumeReading()}; the peer then meets TCP flow control. The end of
     * the peer's stream waits too: {@code onReadShutdown} comes only once reading resumes.
     */
    void pauseReading();

    /** Delivers reads again after {@link #pauseReading()}. */
    void resumeReading();

    /**
     * Half-closes: once every queued byte is written, ends the outbound stream (TCP FIN, or TLS
     * {@code close_notify}); reading continues until the peer closes its side. Writes made after this call
     * fail their callbacks, and their bytes are not counted as queued.
     */
    void shutdownOutput();

    /**
     * Closes gracefully: stops reading, writes every queued byte, ends the stream and releases the
     * connection, then calls {@link ConnectionHandler#onClosed} with a {@code null} cause. A peer that does
     * not read its queued bytes can hold this open: bound it with a timer and {@link #abort()}. Socket
     * transports wait for the peer's end of stream after sending their own (so that late bytes from the peer
     * cannot turn the close into a reset that destroys what we sent last), and give up after 10 s with a
     * {@link java.util.concurrent.TimeoutException} as the cause. Writes made after this call fail.
     */
    void close();

    /**
     * Closes at once: drops queued bytes (their write callbacks fail), resets the connection, and calls
     * {@link ConnectionHandler#onClosed} with the abort as cause.
     */
    void abort();

    /** Whether the connection is neither closed nor closing. */
    boolean isOpen();

    /**
     * Runs {@code task} on the connection thread after {@code delay}, unless cancelled or the connection has
     * closed first (timers still fire while a graceful close is in progress, so a close can be bounded). For
     * handshake, idle and closing-handshake timeouts.
     */
    Cancellable schedule(long delay, TimeUnit unit, Runnable task);

    /**
     * Runs tasks on the connection thread, in submission order, like the callbacks; also after the connection
     * closed (the transport then runs them on a thread standing in for the connection's).
     */
    Executor executor();

    /** Whether the calling thread is this connection's thread. */
    boolean inConnectionThread();
}
