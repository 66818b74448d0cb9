package dev.websock.transport.tasks;

import dev.websock.transport.Cancellable;

/**
 * A task due at a deadline on one event loop's {@link TimerQueue}, optionally owned by a connection, which
 * cancels it when it closes so that a closed connection is not kept reachable by its timers.
 */
public final class ScheduledTask implements Cancellable {
    final TimerQueue queue;
    public final TimerOwner owner;
    public final long deadline;
    public final Runnable task;
    /** Position in the loop's heap, or -1 when not in it. Loop thread only. */
    int heapIndex = -1;
    /** The owner's timers, as an intrusive list. Loop thread only. */
    ScheduledTask previousOfOwner;
    ScheduledTask nextOfOwner;
    private volatile boolean cancelled;

    /**
     * @param queue    the queue of the loop that will run it
     * @param owner    the connection whose timer it is, or {@code null} for a timer of the loop itself
     * @param deadline in {@link System#nanoTime()} terms
     */
    public ScheduledTask(TimerQueue queue, TimerOwner owner, long deadline, Runnable task) {
        this.queue = queue;
        this.owner = owner;
        this.deadline = deadline;
        this.task = task;
    }

    @Override
    public void cancel() {
        cancelled = true;
        if (queue.inOwnerThread()) {
            queue.remove(this);
        }
        // Elsewhere the flag suffices: the loop drops a cancelled task when it comes due.
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
