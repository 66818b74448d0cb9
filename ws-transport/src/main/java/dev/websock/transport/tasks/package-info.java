/**
 * What the transports share: the task and timer queue of a thread that runs a connection's (or a loop's)
 * callbacks ({@link dev.websock.transport.tasks.TaskQueue}, for the in-memory and virtual-thread transports),
 * and the timer heap of an event loop ({@link dev.websock.transport.tasks.TimerQueue}, for NIO and epoll).
 * Not exported.
 */
package dev.websock.transport.tasks;
