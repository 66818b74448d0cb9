package dev.websock.codec.handshake;

import dev.websock.codec.http.HttpSyntax;
import java.util.Objects;

/**
 * Why an opening handshake is refused, and the HTTP error to answer it with; {@link ServerHandshake#reject}
 * writes the response. Produced by {@link UpgradeRequestParser} for malformed or oversized requests, by
 * {@link ServerHandshake#validate} for requests that are not a WebSocket handshake, and by applications for
 * their own reasons (a 403 for an {@code Origin} they do not serve, say).
 *
 * <p>Immutable and thread-safe.
 *
 * @param status the HTTP status, 400-599
 * @param reason what was wrong and what to do, for a person: it becomes the plain-text body of the
 *     response and belongs in the server's log line. Parts quoted from the request are escaped and cut short.
 * @param headers fields the response must carry besides the ones every error response has
 *     ({@code Content-Type}, {@code Content-Length}, {@code Connection}): {@code Allow} for a 405,
 *     {@code Upgrade} and {@code Sec-WebSocket-Version} for a 426
 */
public record HandshakeRejection(int status, String reason, Headers headers) implements ServerHandshake.Verdict {

    /**
     * @throws IllegalArgumentException when {@code status} is not 400-599, or {@code headers} holds a field
     *     that {@link ServerHandshake#reject} writes itself
     */
    public HandshakeRejection {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status " + status + " is not an HTTP error (400-599)");
        }
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(headers, "headers");
        for (String owned : new String[] {"Content-Type", "Content-Length", "Transfer-Encoding", "Connection"}) {
            if (headers.contains(owned)) {
                throw new IllegalArgumentException(owned + " is written by ServerHandshake.reject; leave it out of"
                        + " the rejection's headers");
            }
        }
    }

    /** A rejection with no extra header fields. */
    public HandshakeRejection(int status, String reason) {
        this(status, reason, Headers.EMPTY);
    }

    /** The standard reason phrase of the status (RFC 9110 §15), or "" for a status this library does not name. */
    public String reasonPhrase() {
        return HttpSyntax.reasonPhrase(status);
    }
}
