/**
 * The WebSocket server API: {@link dev.websock.server.WebSocketServer} and its builder, the
 * {@link dev.websock.server.WebSocketHandler} an application implements, and the
 * {@link dev.websock.server.Session} it sends with.
 */
package dev.websock.server;
