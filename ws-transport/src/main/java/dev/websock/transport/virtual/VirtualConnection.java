package dev.websock.transport.virtual;

import dev.websock.transport.Cancellable;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.tasks.TaskQueue;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One socket with its three virtual threads: the owner (the connection thread, running an event queue), the
 * reader and the writer; see {@link VirtualThreadTransport} for the design.
 *
 * <p>State marked "owner" is touched only on the owner thread. The queues shared with the reader, the
 * writer and other callers are guarded by {@link #lock}.
 */
final class VirtualConnection implements Connection {

    private static final System.Logger LOG = System.getLogger(VirtualConnection.class.getName());
    private static final ThreadLocal<VirtualConnection> OWNED = new ThreadLocal<>();

    /** Bytes per batch handed to one gathering write: enough to fill a socket buffer, few enough to report often. */
    private static final long BATCH_BYTES = 256 * 1024;
    /** How long a graceful close waits for the peer to read what is queued and to end its side; as NIO. */
    static final long CLOSE_LINGER_SECONDS = 10;
    /** Buffers per batch: Linux takes at most 1024 in one writev (IOV_MAX). */
    private static final int BATCH_BUFFERS = 1024;

    private enum State { OPEN, CLOSING, CLOSED }

    private final SocketChannel channel;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final int readBufferSize;
    private final int highWaterMark;
    private final int lowWaterMark;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Executor executor = this::executeTask;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writeReady = lock.newCondition();
    /** Tasks and timers for the owner. */
    private final TaskQueue queue = new TaskQueue();
    /** Writes and shutdown markers flushed to the writer, in order. */
    private final ArrayDeque<PendingWrite> writeQueue = new ArrayDeque<>();
    private boolean stopWriter;

    /** One permit per read the owner wants: withholding it is how reading pauses. */
    private final Semaphore readPermit = new Semaphore(0);
    private volatile boolean stopReader;

    private volatile Thread owner;
    private volatile State state = State.OPEN;
    /** Bytes accepted by write and not yet written; other threads add their writes' bytes at once. */
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean writable = true;
    // Owner state.
    private Thread reader;
    private Thread writer;
    private ConnectionHandler handler;
    private final List<PendingWrite> corked = new ArrayList<>();
    private boolean paused;
    private boolean readOutstanding;
    private boolean inputEnded;
    private boolean outputShutdownRequested;
    private boolean outputEnded;
    private ByteBuffer heldBuffer;
    private int heldCount;

    VirtualConnection(SocketChannel channel, TransportOptions options) throws IOException {
        this.channel = channel;
        this.localAddress = channel.getLocalAddress();
        this.remoteAddress = channel.getRemoteAddress();
        this.readBufferSize = options.readBufferSize();
        this.highWaterMark = options.highWaterMark();
        this.lowWaterMark = options.lowWaterMark();
    }

    /** Whether the calling thread owns a connection of this transport kind. */
    static boolean onAnyOwnerThread() {
        return OWNED.get() != null;
    }

    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Runs the connection on the calling (virtual) thread until it has closed: chooses the handler, opens,
     * starts the reader and writer, then runs the event queue.
     */
    void run(Function<Connection, ConnectionHandler> handlers, CompletableFuture<Connection> connected) {
        owner = Thread.currentThread();
        OWNED.set(this);
        try {
            ConnectionHandler chosen;
            try {
                chosen = Objects.requireNonNull(handlers.apply(this),
                        "the acceptor returned a null handler; return a handler and abort() to refuse");
            } catch (RuntimeException e) {
                chosen = (connection, data) -> { };
                release(e);
            }
            handler = chosen;
            callback(() -> handler.onOpen(this));
            if (connected != null) {
                connected.complete(this);
            }
            if (state != State.CLOSED) {
                String name = "websock-vt " + localAddress + " -> " + remoteAddress;
                writer = Thread.ofVirtual().name(name + " write").start(this::writeLoop);
                reader = Thread.ofVirtual().name(name + " read").start(this::readLoop);
                grantRead();
            }
            flushCorked();
            loop();
        } finally {
            OWNED.remove();
        }
    }

    // ---- the owner's event queue ------------------------------------------------------------------------

    private void loop() {
        Runnable task;
        while ((task = queue.next()) != null) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "a task of " + this + " failed", e);
            }
            // Writes made during the task go to the writer together: one batch, one system call.
            flushCorked();
        }
    }

    /**
     * Queues {@code task} for the owner. Once the owner has ended with the connection, a new owner thread
     * starts to run late tasks (a write's failed callback, a layer above finishing its work) and ends again:
     * even then, tasks and callbacks run on a thread for which {@link #inConnectionThread()} holds, which
     * layers such as TLS rely on to avoid handing a task over forever.
     */
    private void post(Runnable task) {
        if (queue.post(task)) {
            Thread.ofVirtual().name("websock-vt " + localAddress + " -> " + remoteAddress + " closed").start(() -> {
                owner = Thread.currentThread();
                loop();
            });
        }
    }

    /** Acts at once on the owner, or hands {@code action} over to act there in call order. */
    private void onOwner(Runnable action) {
        if (inConnectionThread()) {
            action.run();
        } else {
            post(action);
        }
    }

    /** Runs one handler callback; an exception it throws aborts the connection with it as cause. */
    private void callback(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            if (state != State.CLOSED) {
                release(e);
            } else {
                LOG.log(System.Logger.Level.WARNING, "a callback of " + this + " threw after it closed", e);
            }
        }
    }

    private void executeTask(Runnable task) {
        Objects.requireNonNull(task, "task");
        post(() -> callback(task));
    }

    // ---- Connection -------------------------------------------------------------------------------------

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void write(ByteBuffer buffer, WriteCallback callback) {
        write(new ByteBuffer[] {buffer}, 0, 1, callback);
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length, WriteCallback callback) {
        Objects.checkFromIndexSize(offset, length, buffers.length);
        Objects.requireNonNull(callback, "callback; pass WriteCallback.NONE when the outcome does not matter");
        // The caller may reuse the array as soon as we return.
        ByteBuffer[] own = Arrays.copyOfRange(buffers, offset, offset + length);
        PendingWrite write = new PendingWrite(own, callback);
        if (inConnectionThread()) {
            writeNow(write, false);
        } else {
            // Counted at once, not when the owner takes it: a producer on another thread that watches
            // isWritable() must see its own writes.
            count(write.bytes);
            post(() -> writeNow(write, true));
        }
    }

    private void count(long bytes) {
        if (queued.addAndGet(bytes) > highWaterMark) {
            writable = false;
        }
    }

    private void writeNow(PendingWrite write, boolean counted) {
        if (state != State.OPEN || outputShutdownRequested) {
            if (counted) {
                uncount(write.bytes);
            }
            String reason = state == State.OPEN ? "its output was shut down" : "it is " + state.name().toLowerCase();
            IOException error = new IOException("write on " + this + " after " + reason
                    + "; check isOpen() before writing, and stop writing after shutdownOutput()");
            post(() -> write.callback.failed(this, error));
            return;
        }
        corked.add(write);
        if (!counted) {
            count(write.bytes);
        }
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long queuedBytes() {
        return queued.get();
    }

    @Override
    public void pauseReading() {
        onOwner(() -> paused = true);
    }

    @Override
    public void resumeReading() {
        onOwner(() -> {
            if (!paused) {
                return;
            }
            paused = false;
            if (state != State.OPEN) {
                return; // closing reads on regardless, and drops what it reads
            }
            if (heldBuffer != null) {
                ByteBuffer buffer = heldBuffer;
                heldBuffer = null;
                deliver(buffer, heldCount);
            } else {
                grantRead();
            }
        });
    }

    @Override
    public void shutdownOutput() {
        onOwner(() -> {
            if (state == State.OPEN && !outputShutdownRequested) {
                outputShutdownRequested = true;
                corked.add(PendingWrite.SHUTDOWN);
            }
        });
    }

    @Override
    public void close() {
        onOwner(() -> {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            schedule(CLOSE_LINGER_SECONDS, TimeUnit.SECONDS, () -> {
                if (state == State.CLOSING) {
                    release(new TimeoutException("the peer did not read the last bytes or did not end its side"
                            + " within " + CLOSE_LINGER_SECONDS + " s of a graceful close"));
                }
            });
            if (heldBuffer != null) {
                // A read held back by a pause: a closing connection drops what it reads.
                ByteBuffer held = heldBuffer;
                heldBuffer = null;
                discard(held, heldCount);
            }
            if (!outputShutdownRequested) {
                // The writer sends everything queued, then the FIN, and reports it.
                outputShutdownRequested = true;
                corked.add(PendingWrite.SHUTDOWN);
            }
            grantRead();
            releaseIfBothEnded();
        });
    }

    @Override
    public void abort() {
        onOwner(() -> {
            if (state != State.CLOSED) {
                release(new SocketException("connection " + localAddress + " -> " + remoteAddress
                        + " aborted by the local side"));
            }
        });
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
        Objects.requireNonNull(task, "task");
        Cancellable timer = queue.schedule(delay, unit, () -> {
            // Timers fire until onClosed: a closing-handshake timeout must still be able to abort.
            if (state != State.CLOSED) {
                callback(task);
            }
        });
        return timer == null ? () -> { } : timer;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    @Override
    public boolean inConnectionThread() {
        return Thread.currentThread() == owner;
    }

    @Override
    public String toString() {
        return "VirtualConnection[" + localAddress + " -> " + remoteAddress + ", " + state + "]";
    }

    // ---- reading ----------------------------------------------------------------------------------------

    /**
     * Lets the reader read once more, unless a read is already out, input has ended, or reading is paused
     * (a closing connection reads on whatever the pause, to find the peer's FIN).
     */
    private void grantRead() {
        boolean wanted = state == State.OPEN && !paused || state == State.CLOSING;
        if (reader != null && wanted && !readOutstanding && !inputEnded) {
            readOutstanding = true;
            readPermit.release();
        }
    }

    private void readLoop() {
        // Direct: a heap buffer would be filled through a temporary direct buffer and a copy on every read.
        ByteBuffer buffer = ByteBuffer.allocateDirect(readBufferSize);
        try {
            while (true) {
                readPermit.acquireUninterruptibly();
                if (stopReader) {
                    return;
                }
                buffer.clear();
                int count = channel.read(buffer);
                post(() -> readDone(buffer, count));
                if (count < 0) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!stopReader) {
                post(() -> failed(e));
            }
        }
    }

    /** The reader filled {@code buffer} with {@code count} bytes ({@code -1}: end of stream); on the owner. */
    private void readDone(ByteBuffer buffer, int count) {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.CLOSING) {
            discard(buffer, count);
            return;
        }
        if (paused) {
            // Read before the pause took effect: hold it, and the reader with it, until resumed.
            heldBuffer = buffer;
            heldCount = count;
            return;
        }
        deliver(buffer, count);
    }

    /**
     * Drops what a closing connection read, until the peer's FIN: closing the socket with bytes unread would
     * make Linux answer with a reset, which can destroy the last bytes we sent before the peer reads them.
     */
    private void discard(ByteBuffer buffer, int count) {
        readOutstanding = false;
        if (count < 0) {
            inputEnded = true;
            releaseIfBothEnded();
        } else {
            grantRead();
        }
    }

    private void releaseIfBothEnded() {
        if (state == State.CLOSING && inputEnded && outputEnded) {
            release(null);
        }
    }

    private void deliver(ByteBuffer buffer, int count) {
        readOutstanding = false;
        if (count < 0) {
            inputEnded = true;
            callback(() -> handler.onReadShutdown(this));
            return;
        }
        buffer.flip();
        callback(() -> handler.onRead(this, buffer));
        grantRead();
    }

    // ---- writing ----------------------------------------------------------------------------------------

    private void flushCorked() {
        if (corked.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            writeQueue.addAll(corked);
            writeReady.signal();
        } finally {
            lock.unlock();
        }
        corked.clear();
    }

    private void writeLoop() {
        List<ByteBuffer> vector = new ArrayList<>();
        while (true) {
            List<PendingWrite> batch = new ArrayList<>();
            lock.lock();
            try {
                while (writeQueue.isEmpty() && !stopWriter) {
                    writeReady.awaitUninterruptibly();
                }
                if (stopWriter) {
                    return;
                }
                if (writeQueue.peekFirst() == PendingWrite.SHUTDOWN) {
                    batch.add(writeQueue.pollFirst());
                } else {
                    long bytes = 0;
                    int buffers = 0;
                    PendingWrite next;
                    while ((next = writeQueue.peekFirst()) != null && next != PendingWrite.SHUTDOWN
                            && (batch.isEmpty() || bytes < BATCH_BYTES && buffers + next.buffers.length <= BATCH_BUFFERS)) {
                        batch.add(writeQueue.pollFirst());
                        bytes += next.bytes;
                        buffers += next.buffers.length;
                    }
                }
            } finally {
                lock.unlock();
            }
            try {
                if (batch.getFirst() == PendingWrite.SHUTDOWN) {
                    channel.shutdownOutput();
                    post(this::outputEnded);
                } else {
                    vector.clear();
                    for (PendingWrite write : batch) {
                        vector.addAll(Arrays.asList(write.buffers));
                    }
                    ByteBuffer[] array = vector.toArray(ByteBuffer[]::new);
                    int index = 0;
                    while (index < array.length) {
                        if (!array[index].hasRemaining()) {
                            index++;
                            continue;
                        }
                        channel.write(array, index, Math.min(array.length - index, BATCH_BUFFERS));
                        if (!channel.isOpen()) {
                            // A write blocked when the socket was closed can return a count as if it had
                            // succeeded (the JDK redirects the descriptor while closing): those bytes are lost.
                            throw new AsynchronousCloseException();
                        }
                    }
                    post(() -> written(batch));
                }
            } catch (IOException e) {
                post(() -> writeFailed(batch, e));
                return;
            }
        }
    }

    /** The writer sent {@code batch}; on the owner. */
    private void written(List<PendingWrite> batch) {
        long bytes = 0;
        for (PendingWrite write : batch) {
            bytes += write.bytes;
        }
        for (PendingWrite write : batch) {
            callback(() -> write.callback.completed(this));
        }
        uncount(bytes);
    }

    /**
     * {@code bytes} left the queue (sent, failed or refused): at the low-water mark the connection turns
     * writable again and, unless closed, tells its handler. On the owner.
     */
    private void uncount(long bytes) {
        long left = queued.addAndGet(-bytes);
        if (!writable && left <= lowWaterMark) {
            writable = true;
            if (state != State.CLOSED) {
                callback(() -> handler.onWritable(this));
            }
        }
    }

    private void writeFailed(List<PendingWrite> batch, IOException cause) {
        long bytes = 0;
        for (PendingWrite write : batch) {
            bytes += write.bytes;
            if (write != PendingWrite.SHUTDOWN) {
                callback(() -> write.callback.failed(this, cause));
            }
        }
        failed(cause);
        uncount(bytes);
    }

    /** The writer sent the FIN; on the owner. */
    private void outputEnded() {
        outputEnded = true;
        releaseIfBothEnded();
    }

    private void failed(IOException cause) {
        if (state != State.CLOSED) {
            release(cause);
        }
    }

    // ---- closing ----------------------------------------------------------------------------------------

    /**
     * Closes for good, on the owner: stops the reader and writer, closes the socket (with a reset when there
     * is a cause), waits for both threads to end, fails what was never sent, then onClosed, exactly once.
     */
    private void release(Throwable cause) {
        state = State.CLOSED;
        List<PendingWrite> unsent = new ArrayList<>(corked);
        corked.clear();
        lock.lock();
        try {
            stopWriter = true;
            unsent.addAll(writeQueue);
            writeQueue.clear();
            writeReady.signal();
        } finally {
            lock.unlock();
        }
        stopReader = true;
        readPermit.release();
        try {
            if (cause != null) {
                // RST rather than FIN: the peer must not take an aborted stream for a complete one.
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException e) {
            // Already closed by the peer's reset; closing below is all that is left.
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the socket of " + this + " failed", e);
        }
        // Closing the socket wakes both from blocking calls; after this no report of theirs can follow onClosed.
        joinUninterruptibly(reader);
        joinUninterruptibly(writer);
        heldBuffer = null;
        Throwable failure = cause != null ? cause : new IOException("connection closed before the write was sent");
        for (PendingWrite write : unsent) {
            if (write != PendingWrite.SHUTDOWN) {
                post(() -> callback(() -> write.callback.failed(this, failure)));
            }
        }
        for (PendingWrite write : unsent) {
            uncount(write.bytes);
        }
        post(() -> {
            try {
                handler.onClosed(this, cause);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "onClosed of " + this + " threw", e);
            }
            queue.stop(); // the owner ends once no task is left
        });
    }

    private static void joinUninterruptibly(Thread thread) {
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A write waiting for the writer, or the marker that ends the output stream. */
    private static final class PendingWrite {
        static final PendingWrite SHUTDOWN = new PendingWrite(new ByteBuffer[0], WriteCallback.NONE);

        final ByteBuffer[] buffers;
        final WriteCallback callback;
        final long bytes;

        PendingWrite(ByteBuffer[] buffers, WriteCallback callback) {
            this.buffers = buffers;
            this.callback = callback;
            long total = 0;
            for (ByteBuffer buffer : buffers) {
                total += buffer.remaining();
            }
            this.bytes = total;
        }
    }
}
