package dev.websock.server;

/** How a route hands received data messages to its {@link WebSocketHandler}. */
public enum MessageDelivery {
    /**
     * Whole messages: {@link WebSocketHandler#onText} and {@link WebSocketHandler#onBinary}, each message
     * gathered up to the server's maximum message size.
     */
    WHOLE,
    /**
     * Pieces as they arrive: {@link WebSocketHandler#onTextFragment} and
     * {@link WebSocketHandler#onBinaryFragment}, for messages larger than memory.
     */
    STREAMING
}
