package dev.websock.server.session;

import dev.websock.codec.extension.ExtensionNegotiation;
import dev.websock.codec.handshake.HandshakeLimits;
import dev.websock.server.HandlerExecution;
import dev.websock.server.HandshakeInterceptor;
import dev.websock.server.OriginPolicy;
import java.util.List;
import java.util.Map;

/**
 * Everything a connection needs to know about its server, resolved once by {@code WebSocketServer.Builder};
 * immutable and shared by every connection. The defaults and their reasons are on the builder.
 *
 * @param extensions negotiates {@code Sec-WebSocket-Extensions}; null when the server offers none
 * @param maxPendingHandlerBytes received bytes waiting for virtual-thread handlers above which a session stops
 *     reading: the transport's high-water mark, as {@code HandlerExecution.VIRTUAL_THREADS} documents
 * @param retainHandshakeRequest whether a session keeps its handshake request after {@code onOpen}
 */
public record ServerConfig(
        Map<String, Route> routes,
        List<String> subprotocols,
        ExtensionNegotiation extensions,
        OriginPolicy originPolicy,
        HandshakeInterceptor interceptor,
        HandshakeLimits handshakeLimits,
        long maxFrameSize,
        long maxMessageSize,
        int maxConnections,
        long handshakeTimeoutNanos,
        long idleTimeoutNanos,
        long closeTimeoutNanos,
        long pingIntervalNanos,
        HandlerExecution execution,
        long maxPendingHandlerBytes,
        int fragmentSize,
        boolean retainHandshakeRequest,
        boolean secure) {

    public ServerConfig {
        routes = Map.copyOf(routes);
        subprotocols = List.copyOf(subprotocols);
    }
}
