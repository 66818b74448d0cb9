/**
 * The pure WebSocket protocol (RFC 6455, RFC 7692): bytes in, events out; no I/O, no threads.
 */
package dev.websock.codec;
