/**
 * A conformance runner for any WebSocket server, written from RFC 6455 and RFC 7692; depends on the JDK only.
 */
package dev.websock.conformance;
