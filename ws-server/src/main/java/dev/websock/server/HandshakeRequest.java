package dev.websock.server;

import dev.websock.codec.handshake.UpgradeRequest;
import java.net.HttpCookie;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The opening handshake request as an interceptor and a session see it. Immutable and thread-safe.
 *
 * @param path the path of the request target, percent-encoding kept ({@code /chat})
 * @param query the query without {@code ?}, or {@code null}
 * @param upgrade the parsed request: method, target, version and every header field
 * @param remoteAddress the peer's address
 * @param secure whether the request came over TLS
 */
public record HandshakeRequest(String path, String query, UpgradeRequest upgrade, SocketAddress remoteAddress,
        boolean secure) {

    public HandshakeRequest {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(upgrade, "upgrade");
    }

    /** The first value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        return upgrade.headers().first(name);
    }

    /** Every value of header {@code name}, in order. */
    public List<String> headers(String name) {
        return upgrade.headers().all(name);
    }

    /** The {@code Origin} header (RFC 6454), or null when the client sent none (non-browser clients). */
    public String origin() {
        return header("Origin");
    }

    /**
     * The cookies of the {@code Cookie} headers (RFC 6265 §5.4: {@code name=value} pairs separated by
     * {@code ;}). Pairs that are not {@code name=value} are skipped.
     */
    public List<HttpCookie> cookies() {
        List<HttpCookie> cookies = new ArrayList<>();
        for (String header : headers("Cookie")) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    continue;
                }
                String name = pair.substring(0, equals).strip();
                String value = pair.substring(equals + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                try {
                    cookies.add(new HttpCookie(name, value));
                } catch (IllegalArgumentException notACookieName) {
                    // A name HttpCookie refuses (reserved or not a token) is not a cookie we can hand out.
                }
            }
        }
        return Collections.unmodifiableList(cookies);
    }

    /** The value of cookie {@code name}, or null. */
    public String cookie(String name) {
        for (HttpCookie cookie : cookies()) {
            if (cookie.getName().equals(name)) {
                return cookie.getValue();
            }
        }
        return null;
    }
}
