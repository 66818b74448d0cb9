package dev.websock.transport.memory;

import dev.websock.transport.Cancellable;
import dev.websock.transport.tasks.TaskQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one thread of an {@link InMemoryTransport}: runs submitted tasks in submission order and timers when
 * they are due. One thread for every connection of the transport makes a run deterministic: given the same
 * calls and the same {@link Chunking} seed, the same callbacks happen in the same order.
 */
final class EventLoop implements Executor {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final TaskQueue queue = new TaskQueue();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final ThreadFactory threadFactory;
    private volatile Thread thread;

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
        if (queue.post(task)) {
            startThread();
        }
    }

    /** Runs {@code task} on the loop after {@code delay}; cancelling removes it, so it cannot run later. */
    Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
        Cancellable timer = queue.schedule(delay, unit, task);
        if (timer == null) {
            throw new RejectedExecutionException("the in-memory transport is shut down; open a new one");
        }
        return timer;
    }

    /** Stops once no task is left; timers not yet due are dropped. */
    void stop() {
        queue.stop();
    }

    private void run() {
        try {
            Runnable task;
            while ((task = queue.next()) != null) {
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
}
