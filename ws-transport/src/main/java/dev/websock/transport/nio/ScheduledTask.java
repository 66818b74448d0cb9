package dev.websock.transport.nio;

import dev.websock.transport.Cancellable;

/**
 * A task due at a deadline on one event loop, optionally owned by a connection, which cancels it when it
 * closes so that a closed connection is not kept reachable by its timers.
 */
final class ScheduledTask implements Cancellable {
    final EventLoop loop;
    final NioConnection owner;
    final long deadline;
    final Runnable task;
    /** Position in the loop's heap, or -1 when not in it. Loop thread only. */
    int heapIndex = -1;
    /** The owner's timers, as an intrusive list. Loop thread only. */
    ScheduledTask previousOfOwner;
    ScheduledTask nextOfOwner;
    private volatile boolean cancelled;

    ScheduledTask(EventLoop loop, NioConnection owner, long deadline, Runnable task) {
        this.loop = loop;
        this.owner = owner;
        this.deadline = deadline;
        this.task = task;
    }

    @Override
    public void cancel() {
        cancelled = true;
        if (loop.inLoop()) {
            loop.timers().remove(this);
        }
        // Elsewhere the flag suffices: the loop drops a cancelled task when it comes due.
    }

    boolean isCancelled() {
        return cancelled;
    }
}
