package dev.websock.transport.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread with one epoll instance: it runs the I/O, the callbacks, the tasks and the timers of the connections
 * and listeners registered with it, like the NIO transport's event loop, without a selector's key objects, locks
 * and file-descriptor map.
 *
 * <p>Connections and listeners are found by descriptor in an array. Each registration carries its descriptor and
 * a generation number in {@code epoll_data}, so that an event already fetched for a descriptor that was closed
 * and handed to a new connection within the same batch does not reach the new one.
 *
 * <p>The loop owns the memory every call on its connections uses: the read buffer (one for all connections,
 * handed to {@code onRead} and valid only during it), the iovec array and the staging memory of gathering
 * writes, the {@code epoll_event} array and the {@code errno} capture. Connections that read their budget for
 * the turn, or that resume reading with input pending, wait in a list that the loop serves before it blocks
 * again, as edge-triggered readiness will not be reported twice.
 */
final class EpollEventLoop implements Executor, Runnable {
    private static final System.Logger LOG = System.getLogger(EpollEventLoop.class.getName());
    /** Events fetched per epoll_wait. */
    private static final int MAX_EVENTS = 256;
    /** iovecs per writev: 64 buffers are many more than a burst of frames needs, well under IOV_MAX (1024). */
    static final int IOV_COUNT = 64;
    /** Staging memory for heap and small buffers per gathering write. */
    private static final int STAGING_SIZE = 64 * 1024;
    private static final int SPARE_QUEUES = 64;
    private static final ValueLayout.OfLong LONG_UNALIGNED = JAVA_LONG.withByteAlignment(1);

    final EpollTransport transport;
    final Syscalls sys;
    final ByteBuffer readBuffer;
    final long readAddress;
    final MemorySegment iov;
    final ByteBuffer staging;
    final long stagingAddress;
    final int highWaterMark;
    final int lowWaterMark;
    private final boolean tcpNoDelay;
    private final MemorySegment events;
    private final MemorySegment wakeCounter;
    private final int epollFd;
    private final int wakeFd;
    private final Thread thread;
    private final long busyPollNanos;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final LateTasks lateTasks;
    /** Whether a wake-up is already on its way, so that producers write the eventfd once. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /**
     * Threads between deciding to write the eventfd and having written it. The loop closes the eventfd only once
     * none is left, so that a late wake-up cannot write to a descriptor number that was closed and given to
     * something else.
     */
    private final AtomicInteger wakersInFlight = new AtomicInteger();
    private volatile boolean wakeFdClosed;
    private final TimerQueue timers;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** Connections and listeners by descriptor. Loop thread only. */
    private Object[] registered = new Object[1024];
    private int generation;
    private int connectionCount;
    private EpollConnection[] dirty = new EpollConnection[64];
    private int dirtyCount;
    private EpollConnection[] readLater = new EpollConnection[64];
    private int readLaterCount;
    private final WriteQueue[] spareQueues = new WriteQueue[SPARE_QUEUES];
    private int spareCount;
    /** The cause of a close made by an acceptor before the connection had a handler. */
    private Throwable closedBeforeOpenCause;
    private long drainDeadline;
    private boolean draining;
    private volatile boolean stopped;

    EpollEventLoop(EpollTransport transport) {
        this.transport = transport;
        Arena arena = Arena.ofAuto(); // freed with the loop: handlers may not keep the read buffer, but if they do
        this.sys = new Syscalls(arena);
        var options = transport.options();
        MemorySegment read = arena.allocate(options.readBufferSize(), 64);
        this.readBuffer = read.asByteBuffer();
        this.readAddress = read.address();
        this.iov = arena.allocate(IOV_COUNT * Syscalls.IOVEC_SIZE, 8);
        MemorySegment stagingSegment = arena.allocate(STAGING_SIZE, 64);
        this.staging = stagingSegment.asByteBuffer();
        this.stagingAddress = stagingSegment.address();
        this.events = arena.allocate(MAX_EVENTS * Syscalls.EPOLL_EVENT_SIZE, 8);
        this.wakeCounter = arena.allocate(JAVA_LONG);
        this.highWaterMark = options.highWaterMark();
        this.lowWaterMark = options.lowWaterMark();
        this.tcpNoDelay = options.tcpNoDelay();
        this.busyPollNanos = options.busyPoll().toNanos();
        int epoll = -1;
        int wake = -1;
        try {
            epoll = sys.epollCreate();
            wake = sys.eventfd();
            // Level-triggered: the loop reads the counter back to zero on each wake-up.
            sys.epollAdd(epoll, wake, Syscalls.EPOLLIN, wake);
            this.thread = options.threadFactory().newThread(this);
        } catch (IOException e) {
            closeMade(wake, epoll);
            throw new UncheckedIOException("cannot create the epoll instance and wake-up eventfd of an epoll event loop", e);
        } catch (RuntimeException | Error e) {
            closeMade(wake, epoll);
            throw e;
        }
        this.epollFd = epoll;
        this.wakeFd = wake;
        this.lateTasks = new LateTasks(tasks, this::runTask, thread.getName() + "-late");
        this.timers = new TimerQueue(thread);
    }

    /** Closes the descriptors a failed constructor made: nothing else would ever close them. */
    private void closeMade(int wake, int epoll) {
        if (wake >= 0) {
            sys.close(wake);
        }
        if (epoll >= 0) {
            sys.close(epoll);
        }
    }

    void start() {
        thread.start();
    }

    /** Closes the descriptors of a loop that was never started, when its transport could not be made. */
    void discard() {
        sys.close(wakeFd);
        sys.close(epollFd);
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

    String name() {
        return thread.getName();
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (lateTasks.tookOver()) {
            return;
        }
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            wakersInFlight.incrementAndGet();
            try {
                if (!wakeFdClosed) {
                    Syscalls.wake(wakeFd);
                }
            } finally {
                wakersInFlight.decrementAndGet();
            }
        }
    }

    @Override
    public void run() {
        try {
            long pollUntil = System.nanoTime();
            while (!stopped) {
                wakeupPending.set(false);
                int timeout = millisUntilNextDeadline();
                if (!tasks.isEmpty() || readLaterCount > 0
                        || (busyPollNanos > 0 && System.nanoTime() - pollUntil < 0)) {
                    timeout = 0;
                }
                int ready = sys.epollWait(epollFd, events.address(), MAX_EVENTS, timeout);
                if (ready > 0) {
                    handleEvents(ready);
                    if (busyPollNanos > 0) {
                        pollUntil = System.nanoTime() + busyPollNanos;
                    }
                }
                readPostponed();
                runTasks();
                runTimers();
                if (draining) {
                    drainStep();
                }
            }
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "epoll event loop " + thread.getName() + " failed; its connections are aborted", t);
        } finally {
            stopped = true;
            try {
                release();
            } finally {
                terminated.complete(null); // whatever release met: shutdown and close must not wait for ever
            }
        }
    }

    private void release() {
        try {
            abortAll(new ClosedChannelException());
            for (Object registration : registered) {
                if (registration instanceof EpollListener listener) {
                    listener.closeNow();
                }
            }
            // Tasks still queued, and any posted from now on, run with the loop stopped: an accepted descriptor
            // handed over to this loop is then closed instead of leaked, a connect or a late write fails.
            lateTasks.end();
        } finally {
            wakeFdClosed = true;
            while (wakersInFlight.get() != 0) {
                Thread.onSpinWait(); // another thread is writing the eventfd: let it finish before it is closed
            }
            sys.close(wakeFd);
            sys.close(epollFd);
        }
    }

    /** Milliseconds epoll_wait may block: -1 for no limit, 0 when something is due now. */
    private int millisUntilNextDeadline() {
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
            return -1;
        }
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
    }

    private void handleEvents(int ready) {
        for (int i = 0; i < ready; i++) {
            long at = i * Syscalls.EPOLL_EVENT_SIZE;
            int flags = events.get(JAVA_INT, at);
            long data = events.get(LONG_UNALIGNED, at + Syscalls.EPOLL_EVENT_DATA);
            int fd = (int) data;
            int eventGeneration = (int) (data >>> 32);
            if (fd == wakeFd) {
                drainWakeups();
                continue;
            }
            dispatch(fd, eventGeneration, flags);
            flushDirty();
        }
    }

    /**
     * Hands an event to the connection or listener registered under {@code fd} with {@code eventGeneration};
     * false when there is none: the descriptor closed earlier in this batch, and its number may already be
     * another's, whose registration has a newer generation.
     */
    boolean dispatch(int fd, int eventGeneration, int flags) {
        Object registration = fd < registered.length ? registered[fd] : null;
        if (registration instanceof EpollConnection connection && connection.generation == eventGeneration) {
            connection.handleEvents(flags);
            return true;
        }
        if (registration instanceof EpollListener listener && listener.generation == eventGeneration) {
            listener.acceptReady();
            return true;
        }
        return false;
    }

    private void drainWakeups() {
        try {
            sys.read(wakeFd, wakeCounter.address(), 8);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "reading the wake-up eventfd failed", e);
        }
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
            LOG.log(Level.WARNING, "a task on epoll event loop " + thread.getName() + " failed", e);
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
                    LOG.log(Level.WARNING, "a timer on epoll event loop " + thread.getName() + " failed", e);
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

    // ---- connections that wait for the loop ----

    void flushDirty() {
        // A flush can call back into handlers that write to other connections, growing the list.
        try {
            for (int i = 0; i < dirtyCount; i++) {
                EpollConnection connection = dirty[i];
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

    void markDirty(EpollConnection connection) {
        if (dirtyCount == dirty.length) {
            dirty = Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = connection;
    }

    /** {@code connection} has input that no edge will announce again: read it before blocking. */
    void readLater(EpollConnection connection) {
        if (readLaterCount == readLater.length) {
            readLater = Arrays.copyOf(readLater, readLaterCount * 2);
        }
        readLater[readLaterCount++] = connection;
    }

    private void readPostponed() {
        int count = readLaterCount;
        if (count == 0) {
            return;
        }
        for (int i = 0; i < count; i++) {
            EpollConnection connection = readLater[i];
            readLater[i] = null;
            connection.readPostponed();
            flushDirty();
        }
        // Connections that asked again while this ran wait for the next turn, after the next epoll_wait.
        int added = readLaterCount - count;
        System.arraycopy(readLater, count, readLater, 0, added);
        Arrays.fill(readLater, added, readLaterCount, null);
        readLaterCount = added;
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

    // ---- registration ----

    private int nextGeneration() {
        return ++generation;
    }

    private void put(int fd, Object registration) {
        if (fd >= registered.length) {
            registered = Arrays.copyOf(registered, Math.max(fd + 1, registered.length * 2));
        }
        registered[fd] = registration;
    }

    /** Watches {@code fd} edge-triggered for input, output and the peer's FIN, once: interest never changes. */
    void watch(int fd, int generation) throws IOException {
        sys.epollAdd(epollFd, fd, Syscalls.EPOLLIN | Syscalls.EPOLLOUT | Syscalls.EPOLLRDHUP | Syscalls.EPOLLET,
                epollData(fd, generation));
    }

    private static long epollData(int fd, int generation) {
        return ((long) generation << 32) | (fd & 0xffffffffL);
    }

    /** Forgets a connection that is closing its descriptor; loop thread only. */
    void closed(EpollConnection connection) {
        if (connection.fd < registered.length && registered[connection.fd] == connection) {
            registered[connection.fd] = null;
            connectionCount--;
        }
    }

    int connectionCount() {
        return connectionCount;
    }

    /** Starts watching a listener; loop thread only. */
    void register(EpollListener listener) throws IOException {
        int listenerGeneration = nextGeneration();
        listener.generation = listenerGeneration;
        put(listener.fd, listener);
        try {
            sys.epollAdd(epollFd, listener.fd, Syscalls.EPOLLIN | Syscalls.EPOLLET,
                    epollData(listener.fd, listenerGeneration));
        } catch (IOException e) {
            registered[listener.fd] = null;
            throw e;
        }
    }

    void deregister(EpollListener listener) {
        if (listener.fd < registered.length && registered[listener.fd] == listener) {
            registered[listener.fd] = null;
        }
    }

    /** Takes an accepted descriptor; loop thread only. */
    void adopt(int fd, Acceptor acceptor) {
        if (draining || stopped) {
            sys.close(fd);
            return;
        }
        try {
            sys.setIntOption(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_NODELAY, tcpNoDelay ? 1 : 0);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "an accepted connection failed before it was registered", e);
            sys.close(fd);
            return;
        }
        EpollConnection connection = new EpollConnection(this, fd, nextGeneration());
        put(fd, connection);
        connectionCount++;
        ConnectionHandler handler;
        try {
            handler = acceptor.accept(connection);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "the acceptor failed for a connection from " + connection.remoteAddress()
                    + "; the connection is closed", e);
            connection.discard();
            return;
        }
        if (handler == null) {
            LOG.log(Level.WARNING, "the acceptor returned no handler for a connection from "
                    + connection.remoteAddress() + "; the connection is closed");
            connection.discard();
            return;
        }
        connection.open(handler);
    }

    /** Starts an outbound connection; loop thread only. */
    void connect(InetSocketAddress remote, ConnectionHandler handler, CompletableFuture<Connection> future) {
        if (draining || stopped) {
            future.completeExceptionally(new ClosedChannelException());
            return;
        }
        int fd;
        try {
            fd = sys.socket(remote.getAddress() instanceof java.net.Inet4Address ? Syscalls.AF_INET : Syscalls.AF_INET6);
        } catch (IOException e) {
            future.completeExceptionally(e);
            return;
        }
        EpollConnection connection = new EpollConnection(this, fd, nextGeneration());
        put(fd, connection);
        connectionCount++;
        try {
            sys.setIntOption(fd, Syscalls.IPPROTO_TCP, Syscalls.TCP_NODELAY, tcpNoDelay ? 1 : 0);
        } catch (IOException e) {
            connection.connectFailed(e, future);
            return;
        }
        connection.connect(remote, handler, future);
    }

    /** The cause kept by {@link #keepClosedBeforeOpenCause}, once. */
    Throwable takeClosedBeforeOpenCause() {
        Throwable cause = closedBeforeOpenCause;
        closedBeforeOpenCause = null;
        return cause;
    }

    void keepClosedBeforeOpenCause(Throwable cause) {
        closedBeforeOpenCause = cause;
    }

    private void abortAll(Throwable cause) {
        for (Object registration : registered) {
            if (registration instanceof EpollConnection connection) {
                connection.abort(cause);
                closed(connection); // in case the abort could not complete its own release
            }
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
            abortAll(new TimeoutException(
                    "the transport shut down and its grace period ended before this connection closed"));
            stopped = true;
        }
    }
}
