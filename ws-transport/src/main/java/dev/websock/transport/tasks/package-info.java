/**
 * What the in-memory and virtual-thread transports share: the task and timer queue of a thread that runs a
 * connection's (or a loop's) callbacks. Not exported.
 */
package dev.websock.transport.tasks;
