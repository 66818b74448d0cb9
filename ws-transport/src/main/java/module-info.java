/**
 * A pluggable transport of byte streams with backpressure; knows nothing of WebSocket.
 *
 * <p>This module is laid out but not yet built: it exports nothing until its issue lands.
 */
module dev.websock.transport {
}
