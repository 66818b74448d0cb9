package dev.websock.transport.memory;

import dev.websock.transport.Cancellable;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread of an {@link InMemoryTransport}: runs submitted tasks in submission order and timers when
 * they are due. One thread for every connection of the transport makes a run deterministic: given the same
 * calls and the same {@link Chunking} seed, the same callbacks happen in the same order.
 */
final class EventLoop implements Executor {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final ThreadFactory threadFactory;
    private volatile Thread thread;
    private long timerSequence;
    private boolean stopped;
    /** A thread is running tasks; false once the loop has stopped and drained, until a late task arrives. */
    private boolean running = true;

    EventLoop(ThreadFactory threadFactory) {
        this.threadFactory = threadFactory;
        startThread();
    }

    private void startThread() {
        Thread started = threadFactory.newThread(this::run);
        if (started == null) {
            throw new IllegalStateException("the TransportOptions thread factory returned null; it must make a thread");
        }
        thread = started;
        started.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Completes once the loop thread has run its last task. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Queues {@code task} behind every task already queued. Once the loop has stopped and its thread ended, a
     * late task (a write's failed callback, a layer above finishing its work) gets a new loop thread that
     * runs it and ends again: tasks always run on a thread for which {@link #inLoop()} holds, which layers
     * such as TLS rely on to avoid handing a task over forever.
     */
    @Override
    public void execute(Runnable task) {
        boolean start = false;
        lock.lock();
        try {
            tasks.addLast(task);
            if (running) {
                changed.signal();
            } else {
                running = true;
                start = true;
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            startThread();
        }
    }

    /** Runs {@code task} on the loop after {@code delay}; cancelling removes it, so it cannot run later. */
    Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
        lock.lock();
        try {
            if (stopped) {
                throw new RejectedExecutionException("the in-memory transport is shut down; open a new one");
            }
            long due = System.nanoTime() + unit.toNanos(Math.max(0, delay));
            Timer timer = new Timer(due, timerSequence++, task);
            timers.add(timer);
            changed.signal();
            return () -> cancel(timer);
        } finally {
            lock.unlock();
        }
    }

    private void cancel(Timer timer) {
        lock.lock();
        try {
            // Removed, not just flagged: an idle timeout rescheduled on every read would otherwise pile up.
            timers.remove(timer);
        } finally {
            lock.unlock();
        }
    }

    /** Stops once no task is left; timers not yet due are dropped. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            timers.clear();
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            Runnable task;
            while ((task = next()) != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    // Connection callbacks catch their own handler's exceptions; this is a bug in the transport.
                    LOG.log(System.Logger.Level.ERROR, "in-memory transport task failed", e);
                }
            }
        } finally {
            // The first end of the loop thread is the transport's; threads for late tasks come and go.
            terminated.complete(null);
        }
    }

    /** The next task or due timer, waiting for one; {@code null} once stopped and drained. */
    private Runnable next() {
        lock.lock();
        try {
            while (true) {
                Timer timer = timers.peek();
                long now = System.nanoTime();
                if (timer != null && timer.due - now <= 0) {
                    // Due timers go first: a busy stream of reads must not starve an idle or close timeout.
                    timers.poll();
                    return timer.task;
                }
                Runnable task = tasks.pollFirst();
                if (task != null) {
                    return task;
                }
                if (stopped) {
                    running = false;
                    return null;
                }
                if (timer == null) {
                    changed.awaitUninterruptibly();
                } else {
                    changed.awaitNanos(timer.due - now);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    private record Timer(long due, long sequence, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byDue = Long.compare(due - other.due, 0);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
