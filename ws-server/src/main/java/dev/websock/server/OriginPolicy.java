package dev.websock.server;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@code Origin}s may open a WebSocket (RFC 6455 §10.2). Browsers attach cookies to WebSocket handshakes
 * from any page, so a server that authenticates by cookie and accepts every origin lets any web site act as its
 * user (cross-site WebSocket hijacking). A request whose origin the policy refuses gets 403.
 *
 * <p>Requests without an {@code Origin} come from non-browser clients, which cannot be made to act for a
 * user by a web page; every policy here accepts them.
 */
@FunctionalInterface
public interface OriginPolicy {

    /** Whether {@code origin} (never null) may connect to a request with {@code host} (its Host, or null). */
    boolean allows(String origin, String host);

    /**
     * The default: an origin whose host and port are the request's {@code Host}, the way browsers' same-origin
     * policy thinks of it (a page served by this host may connect, other sites may not).
     */
    static OriginPolicy sameOrigin() {
        return (origin, host) -> {
            if (host == null) {
                return false;
            }
            try {
                URI uri = URI.create(origin);
                if (uri.getHost() == null) {
                    return false; // "null" (sandboxed pages, file:) and other opaque origins
                }
                int port = uri.getPort();
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                int defaultPort = scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
                String originAuthority = uri.getHost().toLowerCase(Locale.ROOT)
                        + (port < 0 || port == defaultPort ? "" : ":" + port);
                String hostAuthority = host.toLowerCase(Locale.ROOT);
                if (hostAuthority.endsWith(":" + defaultPort)) {
                    hostAuthority = hostAuthority.substring(0, hostAuthority.length() - (":" + defaultPort).length());
                }
                return originAuthority.equals(hostAuthority);
            } catch (IllegalArgumentException notAnOrigin) {
                return false;
            }
        };
    }

    /**
     * Exactly these origins ({@code https://app.example.com}, compared ignoring case, without a trailing
     * slash).
     */
    static OriginPolicy allowList(Set<String> origins) {
        Set<String> allowed = origins.stream().map(OriginPolicy::normalize).collect(Collectors.toUnmodifiableSet());
        return (origin, host) -> allowed.contains(normalize(origin));
    }

    /** Every origin: only for servers that authenticate without cookies or serve public data. */
    static OriginPolicy any() {
        return (origin, host) -> true;
    }

    private static String normalize(String origin) {
        String lower = origin.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
