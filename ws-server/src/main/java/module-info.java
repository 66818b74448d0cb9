/**
 * The WebSocket server: HTTP/1.1 upgrade, sessions, the application API and the runnable secure server.
 */
module dev.websock.server {
    requires transitive dev.websock.codec;
    requires transitive dev.websock.transport;

    exports dev.websock.server;
}
