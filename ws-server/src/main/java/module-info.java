/**
 * The WebSocket server: HTTP/1.1 upgrade, sessions, the application API and the runnable secure server.
 *
 * <p>This module is laid out but not yet built: it exports nothing until its issue lands.
 */
module dev.websock.server {
    requires dev.websock.codec;
    requires dev.websock.transport;
}
