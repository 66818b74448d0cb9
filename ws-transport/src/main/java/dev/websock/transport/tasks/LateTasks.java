package dev.websock.transport.tasks;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The tasks of an event loop whose thread has ended. A task posted to a loop after its last turn would otherwise
 * never run, and whoever waits for it would wait for ever: the callback of a write made from another thread, the
 * future of a connect. Once the loop has ended, each task still queued or posted later runs on a short-lived
 * thread started for it, one at a time and in order (as {@link TaskQueue} does for the in-memory and
 * virtual-thread transports). By then the loop has closed its connections, so such a task finds its connection
 * closed: a write fails its callback and a connect its future, as they would on the loop. The late thread counts
 * as the loop's own ({@link #isTakingThread()}) while it runs them: layers above, such as TLS, hand a task over
 * until it runs on the connection's thread.
 */
public final class LateTasks {
    private final Queue<Runnable> tasks;
    private final Consumer<Runnable> runner;
    private final String threadName;
    /** Whether a thread is taking tasks: the loop's own until {@link #end()} has drained, then a late one's. */
    private final AtomicBoolean taking = new AtomicBoolean();
    private volatile boolean ended;
    private volatile Thread taker;

    /**
     * @param tasks the loop's task queue, safe for many producers
     * @param runner runs one task (and logs what it throws)
     * @param threadName the name of the threads that run late tasks
     */
    public LateTasks(Queue<Runnable> tasks, Consumer<Runnable> runner, String threadName) {
        this.tasks = tasks;
        this.runner = runner;
        this.threadName = threadName;
    }

    /**
     * The loop thread's last act, once its connections are closed: runs what is queued on the calling thread,
     * and from then on every task posted runs on a late thread.
     */
    public void end() {
        taking.set(true);
        ended = true;
        takeAll();
    }

    /**
     * Called after {@code task} was queued. Returns false while the loop runs (it will take the task); true once
     * it has ended, when the task is already taken care of.
     */
    public boolean tookOver() {
        if (!ended) {
            return false;
        }
        if (taking.compareAndSet(false, true)) {
            Thread.ofVirtual().name(threadName).start(this::takeAll);
        }
        return true;
    }

    /** Whether the calling thread is the late thread running the loop's tasks now. */
    public boolean isTakingThread() {
        return taker == Thread.currentThread();
    }

    private void takeAll() {
        do {
            taker = Thread.currentThread();
            for (Runnable task; (task = tasks.poll()) != null; ) {
                runner.accept(task);
            }
            taker = null;
            taking.set(false);
            // A task queued after the last poll, whose poster saw "taking" still set, is ours to run.
        } while (!tasks.isEmpty() && taking.compareAndSet(false, true));
    }
}
