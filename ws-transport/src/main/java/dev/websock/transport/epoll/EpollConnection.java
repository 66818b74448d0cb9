package dev.websock.transport.epoll;

import dev.websock.transport.Cancellable;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.tasks.ScheduledTask;
import dev.websock.transport.tasks.TimerOwner;
import dev.websock.transport.tasks.WriteQueue;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP socket on an {@link EpollEventLoop}: one small object per connection, with its descriptor, the
 * generation its epoll registration carries, its handler, its flags, its count of queued bytes, and an outbound
 * queue borrowed from the loop only while bytes wait. It keeps no addresses (they are asked of the kernel when
 * wanted) and no locks: all state is confined to the loop's thread, except the state, the writable flag and the
 * queued-byte count, which other threads read (and writes from other threads add to).
 *
 * <p>The socket is registered once, edge-triggered, for input, output and the peer's FIN; interest never
 * changes, so pausing, resuming and writing make no epoll_ctl call. An input edge sets {@link #INPUT_PENDING},
 * which stays set until a read finds the socket empty (a short read or EAGAIN, see {@link #readPending()}) or at its
 * end: a paused connection simply does not read, and {@link #resumeReading()} (or a close, which reads to discard) asks the loop to come back to it, as no
 * new edge would come for bytes already there. A connection reads at most {@link #READS_PER_TURN} times per turn
 * of the loop, then waits for the next turn, so that one busy peer cannot starve the loop's other connections.
 *
 * <p>Closing gracefully behaves like the NIO transport's: stop delivering reads, write what is queued, send FIN
 * (shutdown(2) with SHUT_WR), then read and discard until the peer's FIN before closing the descriptor, which
 * keeps Linux from answering late bytes with a reset that could destroy the last bytes we sent (tcp(7)).
 * {@link #CLOSE_LINGER_NANOS} bounds the wait.
 */
final class EpollConnection implements Connection, TimerOwner {
    private static final System.Logger LOG = System.getLogger(EpollConnection.class.getName());
    /** How long a graceful close waits for the peer to read what is queued and to end its side. */
    static final long CLOSE_LINGER_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Reads per turn of the loop, so that one busy connection cannot starve the others on its loop. */
    private static final int READS_PER_TURN = 16;

    private static final byte OPEN = 0;
    private static final byte CLOSING = 1;
    private static final byte CLOSED = 2;

    // Flags, loop thread only.
    private static final int READ_PAUSED = 1;
    private static final int INPUT_SHUT = 1 << 1;
    private static final int OUTPUT_SHUT_REQUESTED = 1 << 2;
    private static final int OUTPUT_SHUT = 1 << 3;
    private static final int DIRTY = 1 << 4;
    private static final int FLUSHING = 1 << 5;
    /** An input edge came and no read has found the socket empty since. */
    private static final int INPUT_PENDING = 1 << 6;
    /** In the loop's list of connections to read before it blocks. */
    private static final int READ_LATER = 1 << 7;
    /** A write was short: the send buffer is full until the next EPOLLOUT edge. */
    private static final int OUTPUT_BLOCKED = 1 << 8;
    /** Closed by its acceptor before it had a handler. */
    private static final int CLOSED_BEFORE_OPEN = 1 << 9;
    /** Watched by the loop's epoll instance. */
    private static final int WATCHED = 1 << 10;
    /** An edge said the peer ended its side or the socket failed: read on until the end or the error. */
    private static final int INPUT_END_SEEN = 1 << 11;

    private static final VarHandle QUEUED;

    static {
        try {
            QUEUED = MethodHandles.lookup().findVarHandle(EpollConnection.class, "queued", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EpollEventLoop loop;
    final int fd;
    final int generation;
    private ConnectionHandler handler;
    /** Lent by the loop while bytes wait; {@code null} when idle. */
    private WriteQueue queue;
    private ScheduledTask timersHead;
    /** Only while an outbound connect is in progress. */
    private CompletableFuture<Connection> connectFuture;
    @SuppressWarnings("unused") // through QUEUED
    private volatile long queued;
    private int flags;
    /** How deep the thread is inside this connection's handler and write callbacks. */
    private short callbackDepth;
    private volatile byte state = OPEN;
    private volatile boolean writable = true;

    EpollConnection(EpollEventLoop loop, int fd, int generation) {
        this.loop = loop;
        this.fd = fd;
        this.generation = generation;
    }

    private boolean has(int flag) {
        return (flags & flag) != 0;
    }

    // ---- life cycle, loop thread ----

    /** An accepted connection: watch it, tell the handler; reading starts with the first input edge after. */
    void open(ConnectionHandler handler) {
        this.handler = handler;
        if (has(CLOSED_BEFORE_OPEN)) {
            // The acceptor aborted it: the handler still sees the connection open and close, and nothing else.
            try {
                handler.onOpen(this);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "onOpen failed for a connection its acceptor closed", e);
            }
            notifyClosed(loop.takeClosedBeforeOpenCause());
            return;
        }
        if (state == CLOSED) {
            return;
        }
        try {
            loop.watch(fd, generation);
            flags |= WATCHED;
        } catch (IOException e) {
            finishClose(e);
            return;
        }
        opened();
    }

    /** An accepted connection its acceptor refused (threw, or returned no handler): closed without callbacks. */
    void discard() {
        if (state == CLOSED) {
            return; // the acceptor aborted it first: its descriptor is closed already, maybe reused
        }
        state = CLOSED;
        while (timersHead != null) {
            loop.timers().remove(timersHead);
        }
        loop.closed(this);
        loop.sys.close(fd);
    }

    void connect(InetSocketAddress remote, ConnectionHandler handler, CompletableFuture<Connection> future) {
        this.handler = handler;
        this.connectFuture = future;
        try {
            boolean connected = loop.sys.connect(fd, remote);
            // Watched after connect(2): a socket not yet connecting reports EPOLLHUP, which is no answer.
            loop.watch(fd, generation);
            flags |= WATCHED;
            if (connected) {
                connected();
            }
        } catch (IOException e) {
            connectFailed(e, future);
        }
    }

    /** The connect's outcome is known (EPOLLOUT or an error): connect(2) says to read SO_ERROR. */
    private void finishConnect(int events) {
        int error;
        try {
            error = loop.sys.pendingError(fd);
        } catch (IOException e) {
            connectFailed(e, connectFuture);
            return;
        }
        if (error != 0) {
            connectFailed(Errno.exception("connect", error), connectFuture);
        } else if ((events & Syscalls.EPOLLOUT) != 0) {
            connected();
        } else if ((events & (Syscalls.EPOLLHUP | Syscalls.EPOLLERR)) != 0) {
            connectFailed(Errno.exception("connect", Errno.ENOTCONN), connectFuture);
        }
    }

    private void connected() {
        CompletableFuture<Connection> future = connectFuture;
        connectFuture = null;
        opened();
        future.complete(this);
    }

    void connectFailed(IOException e, CompletableFuture<Connection> future) {
        connectFuture = null;
        state = CLOSED;
        loop.closed(this);
        loop.sys.close(fd);
        future.completeExceptionally(e);
    }

    private void opened() {
        callbackDepth++;
        try {
            handler.onOpen(this);
        } catch (RuntimeException | Error e) {
            callbackFailed("onOpen", e);
        } finally {
            callbackDepth--;
        }
    }

    /** Events from epoll_wait for this registration. */
    void handleEvents(int events) {
        try {
            if (connectFuture != null) {
                finishConnect(events);
                if (connectFuture != null || state == CLOSED) {
                    return;
                }
                // Connected: an input edge that came with the connect's must not be lost.
            }
            if ((events & (Syscalls.EPOLLOUT | Syscalls.EPOLLERR | Syscalls.EPOLLHUP)) != 0) {
                flags &= ~OUTPUT_BLOCKED;
                if (queue != null) {
                    flush();
                }
            }
            if (state != CLOSED
                    && (events & (Syscalls.EPOLLIN | Syscalls.EPOLLRDHUP | Syscalls.EPOLLHUP | Syscalls.EPOLLERR)) != 0) {
                flags |= INPUT_PENDING;
                if ((events & (Syscalls.EPOLLRDHUP | Syscalls.EPOLLHUP | Syscalls.EPOLLERR)) != 0) {
                    flags |= INPUT_END_SEEN;
                }
                readPending();
            }
        } catch (RuntimeException | Error e) {
            callbackFailed("a callback", e);
        }
    }

    /** Called by the loop for a connection that asked to be read later. */
    void readPostponed() {
        flags &= ~READ_LATER;
        try {
            readPending();
        } catch (RuntimeException | Error e) {
            callbackFailed("a callback", e);
        }
    }

    private void readLater() {
        if (!has(READ_LATER)) {
            flags |= READ_LATER;
            loop.readLater(this);
        }
    }

    /**
     * Reads until the socket is empty, reading pauses, or the turn's budget is spent.
     *
     * <p>A read that returns less than the buffer holds has emptied the socket: TCP's recvmsg returns early only
     * when its receive queue is empty, and bytes that arrive after that raise a new edge. So the read that would
     * fail with EAGAIN is saved, except once the peer's FIN or an error has been announced, which no later edge
     * repeats: then reading goes on to the end of the stream or the error.
     */
    private void readPending() {
        if (!has(INPUT_PENDING) || has(INPUT_SHUT) || state == CLOSED) {
            return;
        }
        if (state == OPEN && has(READ_PAUSED)) {
            return; // the input stays pending until resumeReading
        }
        ByteBuffer buffer = loop.readBuffer;
        for (int i = 0; i < READS_PER_TURN; i++) {
            long n;
            try {
                n = loop.sys.read(fd, loop.readAddress, buffer.capacity());
            } catch (IOException e) {
                abort(e);
                return;
            }
            if (n == 0) {
                flags &= ~INPUT_PENDING;
                return;
            }
            if (n < 0) {
                flags &= ~INPUT_PENDING;
                inputEnded();
                return;
            }
            // TCP returns less than asked only when its receive queue is empty, and new data raises a new edge, so
            // a short read ends the edge without a read for EAGAIN (one system call less per event). The exception
            // is TCP urgent data (MSG_OOB), at whose mark a read stops early: a peer that sends it can stall until
            // it sends more. WebSocket peers do not send it; a transport for protocols that do (telnet) would read
            // until EAGAIN instead.
            boolean drained = n < buffer.capacity() && !has(INPUT_END_SEEN);
            if (drained) {
                flags &= ~INPUT_PENDING;
            }
            if (state == OPEN) {
                buffer.clear().limit((int) n);
                callbackDepth++;
                try {
                    handler.onRead(this, buffer);
                } finally {
                    callbackDepth--;
                }
                if (state == CLOSED || (state == OPEN && has(READ_PAUSED))) {
                    return;
                }
            }
            // While closing, bytes that still arrive are read and dropped (see the class comment).
            if (drained) {
                return;
            }
        }
        readLater(); // the budget is spent and the socket may hold more: no new edge will say so
    }

    private void inputEnded() {
        flags |= INPUT_SHUT;
        if (state == OPEN) {
            callbackDepth++;
            try {
                handler.onReadShutdown(this);
            } finally {
                callbackDepth--;
            }
        }
        if (state != CLOSED && has(INPUT_SHUT) && has(OUTPUT_SHUT)) {
            finishClose(null);
        }
    }

    /** Whether the descriptor has been closed (its number may already belong to something else). */
    boolean descriptorClosed() {
        return state == CLOSED;
    }

    /** Writes what is queued; called by the loop after a callback wrote, and on an EPOLLOUT edge. */
    void flush() {
        flags &= ~DIRTY;
        if (state == CLOSED) {
            return;
        }
        if (queue != null) {
            if (has(OUTPUT_BLOCKED)) {
                return; // the send buffer is full: a write now would only return EAGAIN
            }
            flags |= FLUSHING;
            callbackDepth++;
            long written = 0;
            IOException failure = null;
            try {
                written = EpollWriter.writeTo(queue, loop, fd, this);
            } catch (IOException e) {
                failure = e;
            } finally {
                // Also when a write callback threw: the flags must not claim a flush that is over.
                flags &= ~FLUSHING;
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
            } else {
                flags |= OUTPUT_BLOCKED;
            }
            if (!writable && remaining <= loop.lowWaterMark) {
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
        if (queue == null && has(OUTPUT_SHUT_REQUESTED) && !has(OUTPUT_SHUT)) {
            shutdownOutputNow();
        }
    }

    private void shutdownOutputNow() {
        flags |= OUTPUT_SHUT;
        try {
            loop.sys.shutdownOutput(fd);
        } catch (IOException e) {
            abort(e);
            return;
        }
        if (has(INPUT_SHUT)) {
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
        // The slot is freed before the descriptor: once closed, its number may be handed out again at once.
        loop.closed(this);
        int error = loop.sys.close(fd);
        if (error != 0) {
            LOG.log(Level.DEBUG, () -> "closing descriptor " + fd + " failed: " + Errno.name(error));
        }
        if (handler == null) {
            flags |= CLOSED_BEFORE_OPEN;
            loop.keepClosedBeforeOpenCause(cause);
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
        if (queue != null && !has(FLUSHING)) {
            queue.fail(this, cause != null ? cause : new ClosedChannelException());
            returnQueue();
        }
        try {
            handler.onClosed(this, cause);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "onClosed failed for " + this, e);
        }
    }

    /** A handler threw: the connection cannot be trusted to be in a sane state, so it is aborted. */
    @Override
    public void callbackFailed(String what, Throwable e) {
        LOG.log(Level.WARNING, what + " failed for " + this + "; the connection is aborted", e);
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
        if (!has(DIRTY)) {
            flags |= DIRTY;
            loop.markDirty(this);
        }
    }

    // ---- Connection ----

    /** Asked of the kernel (getsockname); {@code null} once the connection has closed. */
    @Override
    public SocketAddress localAddress() {
        return address(true);
    }

    /** Asked of the kernel (getpeername); {@code null} once the connection has closed or the peer has reset it. */
    @Override
    public SocketAddress remoteAddress() {
        return address(false);
    }

    private InetSocketAddress address(boolean local) {
        if (state == CLOSED) {
            return null;
        }
        InetSocketAddress address;
        if (loop.inLoop()) {
            address = local ? loop.sys.localAddress(fd) : loop.sys.remoteAddress(fd);
        } else {
            try (Arena arena = Arena.ofConfined()) {
                Syscalls sys = new Syscalls(arena);
                address = local ? sys.localAddress(fd) : sys.remoteAddress(fd);
            }
        }
        // The loop marks the connection closed before it closes the descriptor: if it is still open now, the
        // answer came from this connection's socket and not from a new one that reuses the number.
        return state == CLOSED ? null : address;
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
        Objects.checkFromIndexSize(offset, length, buffers.length);
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
            if (!writable && left <= loop.lowWaterMark && state != CLOSED) {
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
        if (state == OPEN && !has(OUTPUT_SHUT_REQUESTED)) {
            return false;
        }
        ClosedChannelException cause = new ClosedChannelException();
        // The contract runs callbacks after write returns.
        loop.execute(() -> callback.failed(this, cause));
        return true;
    }

    private void queued(long bytes) {
        long total = (long) QUEUED.getAndAdd(this, bytes) + bytes;
        if (total > loop.highWaterMark && writable) {
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

    /** Stops reading; no system call: the registration is edge-triggered and stays as it is. */
    @Override
    public void pauseReading() {
        if (!loop.inLoop()) {
            loop.execute(this::pauseReading);
            return;
        }
        flags |= READ_PAUSED;
    }

    /** Reads again; input that came while paused is read on this turn of the loop, as no new edge will come. */
    @Override
    public void resumeReading() {
        if (!loop.inLoop()) {
            loop.execute(this::resumeReading);
            return;
        }
        flags &= ~READ_PAUSED;
        if (has(INPUT_PENDING) && state != CLOSED) {
            readLater();
        }
    }

    @Override
    public void shutdownOutput() {
        if (!loop.inLoop()) {
            loop.execute(this::shutdownOutput);
            return;
        }
        if (state != OPEN || has(OUTPUT_SHUT_REQUESTED)) {
            return;
        }
        flags |= OUTPUT_SHUT_REQUESTED;
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
        flags |= OUTPUT_SHUT_REQUESTED;
        ScheduledTask linger = new ScheduledTask(loop.timers(), this, System.nanoTime() + CLOSE_LINGER_NANOS,
                () -> abort(new TimeoutException("the peer did not read the last bytes or did not end its side within "
                        + TimeUnit.NANOSECONDS.toSeconds(CLOSE_LINGER_NANOS) + " s of a graceful close")));
        loop.schedule(linger);
        if (has(OUTPUT_SHUT) && has(INPUT_SHUT)) {
            finishClose(null);
            return;
        }
        if (has(INPUT_PENDING)) {
            readLater(); // input held back by a pause is now read and dropped, to find the peer's FIN
        }
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
            LOG.log(Level.DEBUG, () -> this + " failed: " + cause);
        }
        if (connectFuture != null) {
            connectFailed(cause instanceof IOException io ? io : new IOException(cause), connectFuture);
            return;
        }
        try {
            // SO_LINGER 0 makes close send a reset instead of FIN: an abort must not look like a clean end.
            loop.sys.setLingerZero(fd);
        } catch (IOException e) {
            // The socket is already gone: closing it is all that is left to do.
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
        return "EpollConnection[fd " + fd + " on " + loop.name() + "]";
    }
}
