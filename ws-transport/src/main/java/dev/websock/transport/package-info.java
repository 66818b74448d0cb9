/**
 * A pluggable transport of byte streams with backpressure; knows nothing of WebSocket.
 */
package dev.websock.transport;
