/**
 * One client connection to the server under test: opening handshake (RFC 6455 §4.1), chopped writes, a reading
 * thread that checks the server's frames as a client must, and the record of how the connection closed.
 * Internal: not exported.
 */
package dev.websock.conformance.client;
