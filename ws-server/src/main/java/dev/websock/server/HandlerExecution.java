package dev.websock.server;

/** Where {@link WebSocketHandler} methods run. */
public enum HandlerExecution {
    /**
     * On the connection's transport thread (an event loop for NIO): no hand-off, the fastest, and received
     * data is handed out in place. Handlers must not block: the loop serves other connections.
     */
    EVENT_LOOP,
    /**
     * On a virtual thread per session, one call at a time and in order: handlers may block (a database call,
     * a blocking queue). Received data is copied for the hand-off, and reading pauses while more than the
     * transport's high-water mark of it waits for the handler.
     */
    VIRTUAL_THREADS
}
