package dev.websock.server.session;

import dev.websock.server.MessageDelivery;
import dev.websock.server.WebSocketHandler;
import java.util.Objects;

/**
 * An endpoint: the handler for a request path, and how it takes messages.
 *
 * @param path the request path it serves (exact match); every session of the route shares this string
 */
public record Route(String path, WebSocketHandler handler, MessageDelivery delivery) {
    public Route {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(delivery, "delivery");
    }
}
