package dev.websock.transport.nio;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.tasks.LateTasks;
import dev.websock.transport.tasks.ScheduledTask;
import dev.websock.transport.tasks.TimerQueue;
import dev.websock.transport.tasks.WriteQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One thread with one {@link Selector}: it runs the I/O, the callbacks, the tasks and the timers of the
 * connections and listeners registered with it.
 *
 * <p>Each turn of the loop waits for I/O or the next timer, handles the ready keys, runs the queued tasks
 * and the due timers. After each of these it flushes the connections that were written to, so the writes
 * made during one callback leave in one gathering write. The loop owns one read buffer that every one of
 * its connections reads into, and lends {@link WriteQueue}s to connections that have bytes waiting.
 */
final class EventLoop implements Executor, Runnable {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final int SPARE_QUEUES = 64;

    final NioTransport transport;
    final ByteBuffer readBuffer;
    private final Selector selector;
    private final Thread thread;
    /** {@link dev.websock.transport.TransportOptions#busyPoll()} in nanoseconds. */
    private final long busyPollNanos;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final LateTasks lateTasks;
    /** Whether a wake-up is already on its way, so that producers call {@link Selector#wakeup()} once. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final TimerQueue timers;
    private final Consumer<SelectionKey> keyHandler = this::handleKey;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private NioConnection[] dirty = new NioConnection[64];
    private int dirtyCount;
    private final WriteQueue[] spareQueues = new WriteQueue[SPARE_QUEUES];
    private int spareCount;
    /** Connections registered with this loop and not yet closed, as an intrusive list. Loop thread only. */
    private NioConnection connectionsHead;
    private int connectionCount;
    private long drainDeadline;
    private boolean draining;
    private volatile boolean stopped;

    EventLoop(NioTransport transport, int readBufferSize) {
        this.transport = transport;
        this.readBuffer = ByteBuffer.allocateDirect(readBufferSize);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the NIO transport", e);
        }
        try {
            this.thread = transport.options().threadFactory().newThread(this);
        } catch (RuntimeException | Error e) {
            closeQuietly(selector); // nothing else would ever close it
            throw e;
        }
        this.lateTasks = new LateTasks(tasks, this::runTask, thread.getName() + "-late");
        this.timers = new TimerQueue(thread);
        this.busyPollNanos = transport.options().busyPoll().toNanos();
    }

    void start() {
        thread.start();
    }

    /** Releases the selector of a loop that was never started, when its transport could not be made. */
    void discard() {
        closeQuietly(selector);
    }

    boolean inLoop() {
        return Thread.currentThread() == thread || lateTasks.isTakingThread();
    }

    /** Whether the loop has stopped turning: what is handed to it now is refused or closed. */
    boolean isStopped() {
        return stopped;
    }

    TimerQueue timers() {
        return timers;
    }

    CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (lateTasks.tookOver()) {
            return;
        }
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    @Override
    public void run() {
        try {
            long pollUntil = System.nanoTime();
            while (!stopped) {
                wakeupPending.set(false);
                long timeout = millisUntilNextDeadline();
                int ready;
                if (!tasks.isEmpty() || timeout < 0 || (busyPollNanos > 0 && System.nanoTime() - pollUntil < 0)) {
                    ready = selector.selectNow(keyHandler);
                } else {
                    ready = selector.select(keyHandler, timeout);
                }
                if (ready > 0 && busyPollNanos > 0) {
                    pollUntil = System.nanoTime() + busyPollNanos;
                }
                runTasks();
                runTimers();
                if (draining) {
                    drainStep();
                }
            }
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "NIO event loop " + thread.getName() + " failed; its connections are aborted", t);
        } finally {
            stopped = true;
            abortAll(new ClosedChannelException());
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof NioListener listener) {
                    listener.closeNow();
                }
            }
            // Tasks still queued, and any posted from now on, run with the loop stopped: an accepted channel
            // handed over to this loop is closed instead of leaked, a connect or a late write fails.
            lateTasks.end();
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the selector failed", e);
            }
            terminated.complete(null);
        }
    }

    /** Milliseconds the selector may block: 0 for no limit, -1 when something is due now. */
    private long millisUntilNextDeadline() {
        long deadline = Long.MAX_VALUE;
        boolean any = false;
        ScheduledTask next = timers.peek();
        if (next != null) {
            deadline = next.deadline;
            any = true;
        }
        if (draining && (!any || drainDeadline - deadline < 0)) {
            deadline = drainDeadline;
            any = true;
        }
        if (!any) {
            return 0;
        }
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            return -1;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    private void handleKey(SelectionKey key) {
        Object attachment = key.attachment();
        if (attachment instanceof NioConnection connection) {
            connection.handleReady(key.readyOps());
        } else if (attachment instanceof NioListener listener) {
            listener.acceptReady();
        }
        flushDirty();
    }

    private void runTasks() {
        // Only the tasks present now: tasks that queue more tasks must not starve I/O.
        for (int i = tasks.size(); i > 0; i--) {
            Runnable task = tasks.poll();
            if (task == null) {
                break;
            }
            runTask(task);
            flushDirty();
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "a task on NIO event loop " + thread.getName() + " failed", e);
        }
    }

    private void runTimers() {
        long now = System.nanoTime();
        ScheduledTask next;
        while ((next = timers.peek()) != null && next.deadline - now <= 0) {
            timers.remove(next);
            if (next.isCancelled() || (next.owner != null && !next.owner.acceptsTimers())) {
                continue;
            }
            try {
                next.task.run();
            } catch (RuntimeException | Error e) {
                if (next.owner != null) {
                    next.owner.callbackFailed("a timer", e);
                } else {
                    LOG.log(Level.WARNING, "a timer on NIO event loop " + thread.getName() + " failed", e);
                }
            }
            flushDirty();
        }
    }

    /** Adds a timer; loop thread only. */
    void schedule(ScheduledTask task) {
        if (!task.isCancelled()) {
            timers.add(task);
        }
    }

    /** Flushes every connection written to since the last flush. */
    void flushDirty() {
        // A flush can call back into handlers that write to other connections, growing the list.
        try {
            for (int i = 0; i < dirtyCount; i++) {
                NioConnection connection = dirty[i];
                dirty[i] = null;
                try {
                    connection.flush();
                } catch (RuntimeException | Error e) {
                    // A write callback or onWritable threw: that connection's handler is broken, not the loop.
                    connection.callbackFailed("a write callback or onWritable", e);
                }
            }
        } finally {
            dirtyCount = 0;
        }
    }

    void markDirty(NioConnection connection) {
        if (dirtyCount == dirty.length) {
            dirty = java.util.Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = connection;
    }

    WriteQueue borrowQueue() {
        if (spareCount > 0) {
            WriteQueue queue = spareQueues[--spareCount];
            spareQueues[spareCount] = null;
            return queue;
        }
        return new WriteQueue();
    }

    void releaseQueue(WriteQueue queue) {
        if (spareCount < SPARE_QUEUES) {
            spareQueues[spareCount++] = queue;
        }
    }

    /** Takes an accepted channel; loop thread only. */
    void adopt(SocketChannel channel, Acceptor acceptor) {
        NioConnection connection;
        try {
            connection = new NioConnection(this, channel);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "an accepted connection failed before it was registered", e);
            closeQuietly(channel);
            return;
        }
        if (draining || stopped) {
            closeQuietly(channel);
            return;
        }
        link(connection);
        ConnectionHandler handler;
        try {
            handler = acceptor.accept(connection);
        } catch (RuntimeException | Error e) {
            unlink(connection);
            LOG.log(Level.WARNING, "the acceptor failed for a connection from " + connection.remoteAddress()
                    + "; the connection is closed", e);
            closeQuietly(channel);
            return;
        }
        if (handler == null) {
            unlink(connection);
            LOG.log(Level.WARNING, "the acceptor returned no handler for a connection from "
                    + connection.remoteAddress() + "; the connection is closed");
            closeQuietly(channel);
            return;
        }
        connection.open(handler);
    }

    /** Starts an outbound connection; loop thread only. */
    void connect(SocketAddress remote, ConnectionHandler handler, CompletableFuture<Connection> future) {
        if (draining || stopped) {
            future.completeExceptionally(new ClosedChannelException());
            return;
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            NioConnection connection = new NioConnection(this, channel);
            link(connection);
            connection.connect(remote, handler, future);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                closeQuietly(channel);
            }
            future.completeExceptionally(e);
        }
    }

    SelectionKey register(java.nio.channels.SelectableChannel channel, int ops, Object attachment)
            throws ClosedChannelException {
        return channel.register(selector, ops, attachment);
    }

    private void link(NioConnection connection) {
        connection.previousInLoop = null;
        connection.nextInLoop = connectionsHead;
        if (connectionsHead != null) {
            connectionsHead.previousInLoop = connection;
        }
        connectionsHead = connection;
        connectionCount++;
    }

    private void unlink(NioConnection connection) {
        if (connection.previousInLoop != null) {
            connection.previousInLoop.nextInLoop = connection.nextInLoop;
        } else if (connectionsHead == connection) {
            connectionsHead = connection.nextInLoop;
        } else {
            return; // not linked
        }
        if (connection.nextInLoop != null) {
            connection.nextInLoop.previousInLoop = connection.previousInLoop;
        }
        connection.previousInLoop = null;
        connection.nextInLoop = null;
        connectionCount--;
    }

    /** A connection closed; loop thread only. */
    void closed(NioConnection connection) {
        unlink(connection);
    }

    int connectionCount() {
        return connectionCount;
    }

    private void abortAll(Throwable cause) {
        while (connectionsHead != null) {
            NioConnection connection = connectionsHead;
            connection.abort(cause);
            unlink(connection); // in case the abort could not complete its own unlinking
        }
    }

    /** Lets connections finish until {@code deadline}, then aborts the rest and stops. */
    void drain(long deadline) {
        execute(() -> {
            draining = true;
            drainDeadline = deadline;
        });
    }

    private void drainStep() {
        if (connectionCount == 0) {
            stopped = true;
        } else if (drainDeadline - System.nanoTime() <= 0) {
            abortAll(new java.util.concurrent.TimeoutException(
                    "the transport shut down and its grace period ended before this connection closed"));
            stopped = true;
        }
    }

    private static void closeQuietly(java.io.Closeable channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing a channel failed", e);
        }
    }

    String name() {
        return thread.getName();
    }
}
