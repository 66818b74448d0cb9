package dev.websock.conformance.client;

import java.net.URI;
import java.util.Locale;

/**
 * Where the server is: a {@code ws://} or {@code wss://} URL (RFC 6455 §3) split into what the connection needs.
 *
 * @param secure   wss: TLS over TCP
 * @param host     host name or address, without brackets
 * @param port     the port, defaulted to 80 or 443
 * @param resource path and query for the request line ("/" when empty)
 * @param hostHeader the Host header value (§4.1: host, and the port when it is not the default)
 */
public record Target(boolean secure, String host, int port, String resource, String hostHeader) {

    /** @throws IllegalArgumentException when the URL is not an absolute ws or wss URL without a fragment (§3) */
    public static Target of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("URL " + uri + " must start with ws:// or wss:// (RFC 6455 §3)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("URL " + uri + " has no host");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("URL " + uri + " must not have a fragment (RFC 6455 §3)");
        }
        boolean secure = scheme.equals("wss");
        int defaultPort = secure ? 443 : 80;
        int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String resource = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String host = uri.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        String hostHeader = port == defaultPort ? host : host + ":" + port;
        return new Target(secure, bare, port, resource, hostHeader);
    }
}
