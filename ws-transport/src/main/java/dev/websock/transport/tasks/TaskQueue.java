package dev.websock.transport.tasks;

import dev.websock.transport.Cancellable;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue of a thread that runs tasks in submission order and timers when they are due: the in-memory
 * transport's loop and each virtual-thread connection's owner. One thread takes with {@link #next()}; any thread
 * posts and schedules.
 *
 * <p>Once {@linkplain #stop() stopped} and drained, {@link #next()} returns {@code null} and the taking thread
 * ends. A task posted after that is still run: {@link #post} then says that a new thread must be started to take
 * it, so that tasks always run on the queue's own thread, which layers such as TLS rely on to avoid handing a
 * task over forever.
 */
public final class TaskQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSequence;
    private boolean stopped;
    /** A thread is taking tasks; false once the queue has stopped and drained, until a late task arrives. */
    private boolean running = true;

    /**
     * Queues {@code task} behind every task already queued. Returns true when no thread is taking tasks any more
     * (the queue stopped and drained): the caller must start one, which takes with {@link #next()} until it
     * returns {@code null} again.
     */
    public boolean post(Runnable task) {
        lock.lock();
        try {
            tasks.addLast(task);
            if (running) {
                changed.signal();
                return false;
            }
            running = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code task} on the queue's thread after {@code delay}; cancelling removes it, so that it cannot run
     * later. Returns {@code null}, scheduling nothing, once the queue is stopped.
     */
    public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
        lock.lock();
        try {
            if (stopped) {
                return null;
            }
            Timer timer = new Timer(System.nanoTime() + unit.toNanos(Math.max(0, delay)), timerSequence++, task);
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

    /** Stops once no task is left: timers not yet due are dropped, and none can be scheduled. */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            timers.clear();
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next due timer or task, waiting for one; {@code null} once stopped and drained, and the taking thread
     * must end. A stray interrupt of the taking thread is ignored: only {@link #stop()} ends the queue.
     */
    public Runnable next() {
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
                try {
                    if (timer == null) {
                        changed.await();
                    } else {
                        changed.awaitNanos(timer.due - now);
                    }
                } catch (InterruptedException e) {
                    // ignored: see the method's comment
                }
            }
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
