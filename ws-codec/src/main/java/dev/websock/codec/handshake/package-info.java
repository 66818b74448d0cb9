/**
 * The WebSocket opening handshake (RFC 6455 §4) over HTTP/1.1 (RFC 9110, RFC 9112), without I/O.
 *
 * <p>Server: feed an {@link dev.websock.codec.handshake.UpgradeRequestParser} until it is done, check the
 * {@link dev.websock.codec.handshake.UpgradeRequest} with
 * {@link dev.websock.codec.handshake.ServerHandshake#validate}, and write
 * {@link dev.websock.codec.handshake.ServerHandshake#accept} or
 * {@link dev.websock.codec.handshake.ServerHandshake#reject}. Every bad request, malformed or oversized,
 * ends in a {@link dev.websock.codec.handshake.HandshakeRejection}, never in an exception.
 *
 * <p>Client: send the {@link dev.websock.codec.handshake.ClientHandshake#request()}, feed an
 * {@link dev.websock.codec.handshake.UpgradeResponseParser}, and check the
 * {@link dev.websock.codec.handshake.UpgradeResponse} with
 * {@link dev.websock.codec.handshake.ClientHandshake#validate}.
 *
 * <p>Limits on what a peer can make the parsers hold are in {@link dev.websock.codec.handshake.HandshakeLimits}.
 */
package dev.websock.codec.handshake;
