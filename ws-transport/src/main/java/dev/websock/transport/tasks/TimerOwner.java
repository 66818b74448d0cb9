package dev.websock.transport.tasks;

/**
 * What owns {@link ScheduledTask}s on a {@link TimerQueue}: a connection, which drops its timers when it closes
 * so that a closed connection is not kept reachable by timers due much later (an idle timeout of minutes).
 *
 * <p>The owner keeps the head of its timers' intrusive list; the queue links and unlinks them. Every method is
 * called on the queue's thread only.
 */
public interface TimerOwner {

    /** Whether the owner's timers may still run; false once it closed. */
    boolean acceptsTimers();

    /** A timer of the owner threw: the owner decides what that means (a connection aborts). */
    void callbackFailed(String what, Throwable e);

    /** The head of the owner's list of queued timers, or {@code null}. */
    ScheduledTask firstTimer();

    /** Sets the head of the owner's list of queued timers. */
    void firstTimer(ScheduledTask task);
}
