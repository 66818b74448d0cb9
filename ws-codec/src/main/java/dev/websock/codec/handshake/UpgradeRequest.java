package dev.websock.codec.handshake;

import java.util.Objects;

/**
 * An HTTP/1.1 request head, as {@link UpgradeRequestParser} read it: the request line's three parts and the
 * header fields. It says nothing yet about whether the request is an acceptable WebSocket handshake;
 * {@link ServerHandshake#validate} decides that.
 *
 * <p>Immutable and thread-safe.
 *
 * @param method the method, case preserved (methods are case-sensitive, RFC 9110 §9.1)
 * @param target the request-target as sent: a path and query ({@code /chat?room=1}, origin-form), or an
 *     absolute URI ({@code ws://example.com/chat}, absolute-form, RFC 9112 §3.2)
 * @param version the HTTP version as sent, such as {@code HTTP/1.1}
 * @param headers the header fields, in order, repeats included
 */
public record UpgradeRequest(String method, String target, String version, Headers headers) {

    public UpgradeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
    }

    /** The value of the first header named {@code name} (any case), or null. */
    public String header(String name) {
        return headers.first(name);
    }

    /**
     * The path part of the target, percent-encoding kept: {@code /chat} for {@code /chat?room=1} and for
     * {@code ws://example.com/chat?room=1}; {@code /} for {@code ws://example.com}.
     */
    public String path() {
        int start = pathStart();
        int query = target.indexOf('?', start);
        int end = query < 0 ? target.length() : query;
        return start == end ? "/" : target.substring(start, end);
    }

    /** The query after the first {@code ?} of the target, percent-encoding kept, or null when there is none. */
    public String query() {
        int query = target.indexOf('?', pathStart());
        return query < 0 ? null : target.substring(query + 1);
    }

    /**
     * Which host the request is for: the authority of an absolute-form target, else the {@code Host} header
     * (RFC 9112 §3.2.2: a server "MUST ignore the received Host header field" when the target has one).
     * Null when neither is there.
     */
    public String authority() {
        if (!target.startsWith("/")) {
            int start = target.indexOf("://") + 3;
            return target.substring(start, pathStart());
        }
        return headers.first("Host");
    }

    private int pathStart() {
        if (target.startsWith("/")) {
            return 0;
        }
        int authority = target.indexOf("://");
        if (authority < 0) {
            return target.length(); // not a form the parser lets through; nothing is a path
        }
        for (int i = authority + 3; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '/' || c == '?') {
                return i;
            }
        }
        return target.length();
    }
}
