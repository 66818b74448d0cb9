package dev.websock.transport.nio;

import dev.websock.transport.Cancellable;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.tasks.ScheduledTask;
import dev.websock.transport.tasks.TimerOwner;
import dev.websock.transport.tasks.WriteQueue;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link SocketChannel} on an {@link EventLoop}. All state is confined to the loop's thread, except the
 * queued-byte count and the writable flag, which other threads read (and writes from other threads add to).
 *
 * <p>Closing gracefully ({@link #close()}) stops delivering reads, writes what is queued, sends FIN, and then
 * reads and discards until the peer's FIN before releasing the socket. Waiting for the peer's FIN, instead
 * of closing at once, keeps Linux from answering late-arriving bytes with a reset, which could destroy the
 * last bytes we sent (such as a WebSocket close frame) before the peer read them. {@link #CLOSE_LINGER}
 * bounds the wait.
 */
final class NioConnection implements Connection, TimerOwner {
    private static final System.Logger LOG = System.getLogger(NioConnection.class.getName());
    /** How long a graceful close waits for the peer to read what is queued and to end its side. */
    static final long CLOSE_LINGER_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Reads per readiness event, so that one busy connection cannot starve the others on its loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    private static final VarHandle QUEUED;

    static {
        try {
            QUEUED = MethodHandles.lookup().findVarHandle(NioConnection.class, "queued", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private final SocketChannel channel;
    private final int highWaterMark;
    private final int lowWaterMark;
    private SelectionKey key;
    private ConnectionHandler handler;
    private SocketAddress localAddress;
    private SocketAddress remoteAddress;
    private CompletableFuture<dev.websock.transport.Connection> connectFuture;

    private volatile int state = OPEN;
    private volatile boolean writable = true;
    @SuppressWarnings("unused") // through QUEUED
    private volatile long queued;
    private WriteQueue queue;
    private int interestOps;
    private boolean readPaused;
    private boolean inputShut;
    private boolean outputShutRequested;
    private boolean outputShut;
    private boolean dirty;
    private boolean flushing;
    /** How deep the thread is inside this connection's handler and write callbacks. */
    private int callbackDepth;
    /** Set when the connection closed before its handler was known (an acceptor that refused it). */
    private boolean closedBeforeOpen;
    private Throwable closeCause;
    private ScheduledTask timersHead;
    /** Neighbours in the loop's list of connections. Loop thread only. */
    NioConnection previousInLoop;
    NioConnection nextInLoop;

    NioConnection(EventLoop loop, SocketChannel channel) throws IOException {
        this.loop = loop;
        this.channel = channel;
        TransportOptions options = loop.transport.options();
        this.highWaterMark = options.highWaterMark();
        this.lowWaterMark = options.lowWaterMark();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
        this.localAddress = channel.getLocalAddress();
        this.remoteAddress = channel.getRemoteAddress();
    }

    // ---- life cycle, loop thread ----

    /** An accepted connection: register, tell the handler, start reading. */
    void open(ConnectionHandler handler) {
        this.handler = handler;
        if (closedBeforeOpen) {
            // The acceptor aborted it: the handler still sees the connection open and close, and nothing else.
            try {
                handler.onOpen(this);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "onOpen failed for the connection with " + remoteAddress, e);
            }
            notifyClosed(closeCause);
            return;
        }
        try {
            key = loop.register(channel, 0, this);
        } catch (ClosedChannelException e) {
            finishClose(e);
            return;
        }
        opened();
    }

    void connect(SocketAddress remote, ConnectionHandler handler, CompletableFuture<Connection> future)
            throws IOException {
        this.handler = handler;
        this.connectFuture = future;
        key = loop.register(channel, 0, this);
        if (channel.connect(remote)) {
            connected();
        } else {
            setInterest(SelectionKey.OP_CONNECT);
        }
    }

    private void connected() {
        try {
            localAddress = channel.getLocalAddress();
            remoteAddress = channel.getRemoteAddress();
        } catch (IOException e) {
            connectFailed(e);
            return;
        }
        CompletableFuture<Connection> future = connectFuture;
        connectFuture = null;
        opened();
        future.complete(this);
    }

    private void connectFailed(IOException e) {
        CompletableFuture<Connection> future = connectFuture;
        connectFuture = null;
        state = CLOSED;
        key.cancel();
        closeChannel();
        loop.closed(this);
        future.completeExceptionally(e);
    }

    private void opened() {
        callbackDepth++;
        try {
            handler.onOpen(this);
        } catch (RuntimeException | Error e) {
            callbackFailed("onOpen", e);
            return;
        } finally {
            callbackDepth--;
        }
        updateInterest();
    }

    void handleReady(int readyOps) {
        try {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                try {
                    if (channel.finishConnect()) {
                        setInterest(0);
                        connected();
                    }
                } catch (IOException e) {
                    connectFailed(e);
                }
                return;
            }
            if ((readyOps & SelectionKey.OP_WRITE) != 0 && state != CLOSED) {
                flush();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && state != CLOSED) {
                readReady();
            }
        } catch (RuntimeException | Error e) {
            callbackFailed("a callback", e);
        }
    }

    private void readReady() {
        ByteBuffer buffer = loop.readBuffer;
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                abort(e);
                return;
            }
            if (n < 0) {
                inputEnded();
                return;
            }
            if (n == 0) {
                return;
            }
            if (state == OPEN) {
                buffer.flip();
                callbackDepth++;
                try {
                    handler.onRead(this, buffer);
                } finally {
                    callbackDepth--;
                }
                if (state != OPEN || readPaused) {
                    return;
                }
            }
            // While closing, bytes that still arrive are read and dropped (see the class comment).
            if (n < buffer.capacity()) {
                return; // the socket is very likely drained; a further read would usually return 0
            }
        }
    }

    private void inputEnded() {
        inputShut = true;
        updateInterest();
        if (state == OPEN) {
            callbackDepth++;
            try {
                handler.onReadShutdown(this);
            } finally {
                callbackDepth--;
            }
        }
        if (state != CLOSED && inputShut && outputShut) {
            finishClose(null);
        }
    }

    /** Writes what is queued; called by the loop after a callback wrote, and when the socket is writable. */
    void flush() {
        dirty = false;
        if (state == CLOSED) {
            return;
        }
        if (queue != null) {
            flushing = true;
            callbackDepth++;
            long written = 0;
            IOException failure = null;
            try {
                written = queue.writeTo(channel, this);
            } catch (IOException e) {
                failure = e;
            } finally {
                // Also when a write callback threw: the flags must not claim a flush that is over.
                flushing = false;
                callbackDepth--;
            }
            if (failure != null) {
                abort(failure);
                return;
            }
            long remaining = (long) QUEUED.getAndAdd(this, -written) - written;
            if (state == CLOSED) {
                returnQueue();
                return;
            }
            if (queue.isEmpty()) {
                returnQueue();
            }
            if (!writable && remaining <= lowWaterMark) {
                writable = true;
                if (state == OPEN) {
                    callbackDepth++;
                    try {
                        handler.onWritable(this);
                    } finally {
                        callbackDepth--;
                    }
                    if (state == CLOSED) {
                        return;
                    }
                }
            }
        }
        if (queue == null && outputShutRequested && !outputShut) {
            shutdownOutputNow();
            if (state == CLOSED) {
                return;
            }
        }
        updateInterest();
    }

    private void shutdownOutputNow() {
        outputShut = true;
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            abort(e);
            return;
        }
        if (inputShut) {
            finishClose(null);
        }
    }

    private void returnQueue() {
        if (queue != null && queue.isEmpty()) {
            loop.releaseQueue(queue);
            queue = null;
        }
    }

    private void finishClose(Throwable cause) {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        writable = false;
        while (timersHead != null) {
            loop.timers().remove(timersHead);
        }
        QUEUED.setVolatile(this, 0L);
        if (key != null) {
            key.cancel();
        }
        closeChannel();
        loop.closed(this);
        if (handler == null) {
            closedBeforeOpen = true;
            closeCause = cause;
        } else if (callbackDepth > 0) {
            // Closed from inside a callback: the contract never nests callbacks, so the failed writes and
            // onClosed follow once the current one has returned.
            loop.execute(() -> notifyClosed(cause));
        } else {
            notifyClosed(cause);
        }
    }

    /** Fails the writes still queued, then tells the handler: the last callbacks of the connection. */
    private void notifyClosed(Throwable cause) {
        if (queue != null && !flushing) {
            queue.fail(this, cause != null ? cause : new ClosedChannelException());
            returnQueue();
        }
        try {
            handler.onClosed(this, cause);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "onClosed failed for the connection with " + remoteAddress, e);
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the connection with " + remoteAddress + " failed", e);
        }
    }

    /** A handler threw: the connection cannot be trusted to be in a sane state, so it is aborted. */
    @Override
    public void callbackFailed(String what, Throwable e) {
        LOG.log(Level.WARNING, what + " failed for the connection with " + remoteAddress
                + "; the connection is aborted", e);
        abort(e);
    }

    @Override
    public boolean acceptsTimers() {
        return state != CLOSED;
    }

    @Override
    public ScheduledTask firstTimer() {
        return timersHead;
    }

    @Override
    public void firstTimer(ScheduledTask task) {
        timersHead = task;
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            loop.markDirty(this);
        }
    }

    private void updateInterest() {
        if (state == CLOSED || key == null) {
            return;
        }
        int ops = 0;
        boolean reading = !inputShut && (state == CLOSING || !readPaused);
        if (reading) {
            ops |= SelectionKey.OP_READ;
        }
        if (queue != null && !queue.isEmpty()) {
            ops |= SelectionKey.OP_WRITE;
        }
        setInterest(ops);
    }

    private void setInterest(int ops) {
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    // ---- Connection ----

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
        if (loop.inLoop()) {
            if (refuseWrite(callback)) {
                return;
            }
            ensureQueue();
            queued(queue.add(buffer, callback));
        } else {
            queued(buffer.remaining());
            loop.execute(() -> enqueueCounted(new ByteBuffer[] {buffer}, 0, 1, callback));
        }
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length, WriteCallback callback) {
        java.util.Objects.checkFromIndexSize(offset, length, buffers.length);
        if (loop.inLoop()) {
            if (refuseWrite(callback)) {
                return;
            }
            ensureQueue();
            queued(queue.add(buffers, offset, length, callback));
        } else {
            ByteBuffer[] copy = Arrays.copyOfRange(buffers, offset, offset + length);
            long bytes = 0;
            for (ByteBuffer buffer : copy) {
                bytes += buffer.remaining();
            }
            queued(bytes);
            loop.execute(() -> enqueueCounted(copy, 0, copy.length, callback));
        }
    }

    /** A write handed over from another thread, whose bytes are already counted. */
    private void enqueueCounted(ByteBuffer[] buffers, int offset, int length, WriteCallback callback) {
        if (refuseWrite(callback)) {
            long bytes = 0;
            for (int i = 0; i < length; i++) {
                bytes += buffers[offset + i].remaining();
            }
            long left = uncount(bytes); // counted when write was called
            if (!writable && left <= lowWaterMark && state != CLOSED) {
                writable = true;
            }
            return;
        }
        ensureQueue();
        queue.add(buffers, offset, length, callback);
    }

    /**
     * Takes back the bytes of a refused write that were counted when it was handed over. A close in between
     * cleared the count already: it must not go below zero.
     */
    private long uncount(long bytes) {
        long before;
        long after;
        do {
            before = (long) QUEUED.getVolatile(this);
            after = Math.max(0, before - bytes);
        } while (!QUEUED.compareAndSet(this, before, after));
        return after;
    }

    private void ensureQueue() {
        if (queue == null) {
            queue = loop.borrowQueue();
        }
        markDirty();
    }

    /** After close or shutdownOutput, writes fail: their bytes could never be sent. */
    private boolean refuseWrite(WriteCallback callback) {
        if (state == OPEN && !outputShutRequested) {
            return false;
        }
        ClosedChannelException cause = new ClosedChannelException();
        // The contract runs callbacks after write returns.
        loop.execute(() -> callback.failed(this, cause));
        return true;
    }

    private void queued(long bytes) {
        long total = (long) QUEUED.getAndAdd(this, bytes) + bytes;
        if (total > highWaterMark && writable) {
            writable = false;
        }
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long queuedBytes() {
        return (long) QUEUED.getVolatile(this);
    }

    @Override
    public void pauseReading() {
        if (!loop.inLoop()) {
            loop.execute(this::pauseReading);
            return;
        }
        readPaused = true;
        updateInterest();
    }

    @Override
    public void resumeReading() {
        if (!loop.inLoop()) {
            loop.execute(this::resumeReading);
            return;
        }
        readPaused = false;
        updateInterest();
    }

    @Override
    public void shutdownOutput() {
        if (!loop.inLoop()) {
            loop.execute(this::shutdownOutput);
            return;
        }
        if (state != OPEN || outputShutRequested) {
            return;
        }
        outputShutRequested = true;
        markDirty();
    }

    @Override
    public void close() {
        if (!loop.inLoop()) {
            loop.execute(this::close);
            return;
        }
        if (state != OPEN) {
            return;
        }
        state = CLOSING;
        outputShutRequested = true;
        ScheduledTask linger = new ScheduledTask(loop.timers(), this, System.nanoTime() + CLOSE_LINGER_NANOS,
                () -> abort(new TimeoutException("the peer did not read the last bytes or did not end its side within "
                        + TimeUnit.NANOSECONDS.toSeconds(CLOSE_LINGER_NANOS) + " s of a graceful close")));
        loop.schedule(linger);
        if (outputShut && inputShut) {
            finishClose(null);
            return;
        }
        updateInterest();
        markDirty();
    }

    @Override
    public void abort() {
        abort(new SocketException("connection aborted by the local side"));
    }

    void abort(Throwable cause) {
        if (!loop.inLoop()) {
            loop.execute(() -> abort(cause));
            return;
        }
        if (state == CLOSED) {
            return;
        }
        if (cause instanceof IOException) {
            LOG.log(Level.DEBUG, () -> "connection with " + remoteAddress + " failed: " + cause);
        }
        try {
            // SO_LINGER 0 makes close send a reset instead of FIN: an abort must not look like a clean end.
            if (channel.isOpen()) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException e) {
            // The socket is already gone: closing it is all that is left to do.
        }
        if (connectFuture != null) {
            IOException failure = cause instanceof IOException io ? io : new IOException(cause);
            connectFailed(failure);
            return;
        }
        finishClose(cause);
    }

    @Override
    public boolean isOpen() {
        return state == OPEN;
    }

    @Override
    public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
        ScheduledTask scheduled = new ScheduledTask(loop.timers(), this, System.nanoTime() + unit.toNanos(delay), task);
        if (loop.inLoop()) {
            if (state != CLOSED) {
                loop.schedule(scheduled);
            }
        } else {
            loop.execute(() -> {
                if (state != CLOSED) {
                    loop.schedule(scheduled);
                }
            });
        }
        return scheduled;
    }

    @Override
    public Executor executor() {
        return loop;
    }

    @Override
    public boolean inConnectionThread() {
        return loop.inLoop();
    }

    @Override
    public String toString() {
        return "NioConnection[" + localAddress + " <-> " + remoteAddress + " on " + loop.name() + "]";
    }
}
