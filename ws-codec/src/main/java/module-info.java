/**
 * The pure WebSocket protocol (RFC 6455, RFC 7692): bytes in, events out; no I/O, no threads.
 *
 * <p>This module is laid out but not yet built: it exports nothing until its issue lands.
 */
module dev.websock.codec {
    requires dev.websock.utf8;
}
