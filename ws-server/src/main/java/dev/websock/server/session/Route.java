package dev.websock.server.session;

import dev.websock.server.MessageDelivery;
import dev.websock.server.WebSocketHandler;
import java.util.Objects;

/** An endpoint: the handler for a request path, and how it takes messages. */
public record Route(WebSocketHandler handler, MessageDelivery delivery) {
    public Route {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(delivery, "delivery");
    }
}
