/**
 * The WebSocket server: HTTP/1.1 upgrade, sessions, the application API and the runnable secure server.
 */
package dev.websock.server;
