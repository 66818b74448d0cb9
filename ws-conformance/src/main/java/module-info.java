/**
 * A conformance runner for any WebSocket server, written from RFC 6455 and RFC 7692; depends on the JDK only.
 *
 * <p>This module is laid out but not yet built: it exports nothing until its issue lands.
 */
module dev.websock.conformance {
}
