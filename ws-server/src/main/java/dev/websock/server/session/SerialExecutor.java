package dev.websock.server.session;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one session's handler calls on virtual threads, one at a time and in submission order: at most one
 * virtual thread drains the queue at any moment, and a new one starts when work arrives after it finished.
 */
final class SerialExecutor implements Executor {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Thread.Builder threads;

    SerialExecutor(Thread.Builder threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (running.compareAndSet(false, true)) {
            threads.start(this::drain);
        }
    }

    private void drain() {
        do {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run(); // tasks catch their own failures
            }
            running.set(false);
            // A task added between the last poll and the reset found running set and started nothing.
        } while (!tasks.isEmpty() && running.compareAndSet(false, true));
    }
}
