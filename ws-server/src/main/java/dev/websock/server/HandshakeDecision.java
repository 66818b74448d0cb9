package dev.websock.server;

import java.util.Map;
import java.util.Objects;

/** What a {@link HandshakeInterceptor} decided: accept (with session attributes) or reject with an HTTP status. */
public sealed interface HandshakeDecision {

    /** Accept; the session starts with no attributes. */
    static HandshakeDecision accept() {
        return new Accept(Map.of());
    }

    /** Accept; the session starts with {@code attributes} (an authenticated user, say). */
    static HandshakeDecision accept(Map<String, ?> attributes) {
        return new Accept(Map.copyOf(attributes));
    }

    /**
     * Reject with {@code status} (400-599: 401 or 403 for authentication, 429 or 503 for load) and
     * {@code reason}, which becomes the response body and the log line: say what was wrong and what to do.
     */
    static HandshakeDecision reject(int status, String reason) {
        return new Reject(status, reason);
    }

    /** Accept, with the session's first attributes. */
    record Accept(Map<String, ?> attributes) implements HandshakeDecision {
        public Accept {
            attributes = Map.copyOf(attributes);
        }
    }

    /** Reject with an HTTP status and a reason. */
    record Reject(int status, String reason) implements HandshakeDecision {
        public Reject {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a rejection needs a 4xx or 5xx status, not " + status);
            }
            Objects.requireNonNull(reason, "reason");
        }
    }
}
