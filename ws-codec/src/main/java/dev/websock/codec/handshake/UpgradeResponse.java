package dev.websock.codec.handshake;

import java.util.Objects;

/**
 * An HTTP/1.1 response head, as {@link UpgradeResponseParser} read it. Whether it completes a WebSocket
 * handshake is for {@link ClientHandshake#validate} to say.
 *
 * <p>Immutable and thread-safe.
 *
 * @param version the HTTP version as sent, such as {@code HTTP/1.1}
 * @param status the three-digit status code
 * @param reasonPhrase the reason phrase as sent, possibly empty; RFC 9112 §4 says to ignore it
 * @param headers the header fields, in order, repeats included
 */
public record UpgradeResponse(String version, int status, String reasonPhrase, Headers headers) {

    public UpgradeResponse {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reasonPhrase, "reasonPhrase");
        Objects.requireNonNull(headers, "headers");
    }

    /** The value of the first header named {@code name} (any case), or null. */
    public String header(String name) {
        return headers.first(name);
    }
}
