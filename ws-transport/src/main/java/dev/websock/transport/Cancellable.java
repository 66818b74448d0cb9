package dev.websock.transport;

/** A scheduled task that may still be cancelled. */
@FunctionalInterface
public interface Cancellable {

    /**
     * Cancels the task if it has not run yet. Safe to call from any thread and more than once; on the
     * connection thread, a task cancelled before it started is guaranteed not to run.
     */
    void cancel();
}
