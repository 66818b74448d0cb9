package dev.websock.server;

/**
 * Sees every opening handshake that passed the protocol, route and origin checks, before the 101 is sent:
 * the place for authentication (a token in the query or a cookie) and per-request policy. Called on the
 * connection's thread: do not block an event loop (look up a cache, not a remote service).
 */
@FunctionalInterface
public interface HandshakeInterceptor {

    /** Accepts every request. */
    HandshakeInterceptor ACCEPT_ALL = request -> HandshakeDecision.accept();

    /** Decides; a thrown exception rejects the request with 500 and is logged. */
    HandshakeDecision intercept(HandshakeRequest request);
}
