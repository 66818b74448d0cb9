package dev.websock.conformance.client;

import dev.websock.conformance.deflate.DeflateOffer;
import dev.websock.conformance.deflate.DeflateParameters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The client's opening handshake (RFC 6455 §4.1): the request it sends, and the checks on the server's response.
 *
 * @param request the request's octets (ISO-8859-1 text)
 * @param key     the Sec-WebSocket-Key sent, to check Sec-WebSocket-Accept against
 * @param offers  the permessage-deflate offers sent (empty: no Sec-WebSocket-Extensions header)
 */
public record Handshake(String request, String key, List<DeflateOffer> offers) {

    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    public static final String USER_AGENT = "websock-conformance/0.1";

    public static Handshake request(Target target, List<DeflateOffer> offers, RandomGenerator random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        // §4.1: "a nonce consisting of a randomly selected 16-byte value that has been base64-encoded".
        String key = Base64.getEncoder().encodeToString(nonce);
        StringBuilder r = new StringBuilder(256);
        r.append("GET ").append(target.resource()).append(" HTTP/1.1\r\n");
        r.append("Host: ").append(target.hostHeader()).append("\r\n");
        r.append("User-Agent: ").append(USER_AGENT).append("\r\n");
        r.append("Upgrade: websocket\r\n");
        r.append("Connection: Upgrade\r\n");
        r.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        r.append("Sec-WebSocket-Version: 13\r\n");
        if (!offers.isEmpty()) {
            List<String> elements = new ArrayList<>();
            for (DeflateOffer o : offers) {
                elements.add(o.headerElement());
            }
            r.append("Sec-WebSocket-Extensions: ").append(String.join(", ", elements)).append("\r\n");
        }
        r.append("\r\n");
        return new Handshake(r.toString(), key, List.copyOf(offers));
    }

    /** The Sec-WebSocket-Accept a conforming server answers to {@code key} (§4.2.2 step 5.4). */
    public static String expectedAccept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /**
     * Checks the response head (status line and headers, without the final empty line) as §4.1 says the client
     * must, and returns the negotiated permessage-deflate parameters, or {@code null} when the server accepted none.
     *
     * @throws HandshakeException naming the first rule the response breaks
     */
    public DeflateParameters checkResponse(String head) throws HandshakeException {
        String[] lines = head.split("\r\n");
        String status = lines[0];
        String[] statusParts = status.split(" ", 3);
        if (statusParts.length < 2 || !statusParts[0].startsWith("HTTP/1.1") || !statusParts[1].equals("101")) {
            throw new HandshakeException("expected 'HTTP/1.1 101 Switching Protocols', got '" + status + "' (RFC 6455 §4.1)");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new HandshakeException("malformed header line '" + lines[i] + "'");
            }
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        // §4.1, the client's checks of the server's response, points 2 to 6.
        if (!tokens(headers, "upgrade").contains("websocket")) {
            throw new HandshakeException("response lacks 'Upgrade: websocket' (RFC 6455 §4.1)");
        }
        if (!tokens(headers, "connection").contains("upgrade")) {
            throw new HandshakeException("response lacks 'Connection: Upgrade' (RFC 6455 §4.1)");
        }
        List<String> accept = headers.getOrDefault("sec-websocket-accept", List.of());
        String expected = expectedAccept(key);
        if (accept.size() != 1 || !accept.get(0).equals(expected)) {
            throw new HandshakeException("Sec-WebSocket-Accept is " + accept + ", expected " + expected + " (RFC 6455 §4.1)");
        }
        if (headers.containsKey("sec-websocket-protocol")) {
            throw new HandshakeException("server chose a subprotocol the runner did not offer (RFC 6455 §4.1)");
        }
        List<String> extensions = new ArrayList<>();
        for (String value : headers.getOrDefault("sec-websocket-extensions", List.of())) {
            for (String element : value.split(",")) {
                if (!element.isBlank()) {
                    extensions.add(element.trim());
                }
            }
        }
        DeflateParameters deflate = null;
        for (String element : extensions) {
            List<String> parts = new ArrayList<>(Arrays.asList(element.split(";")));
            String name = parts.removeFirst().trim();
            if (!name.equalsIgnoreCase("permessage-deflate") || offers.isEmpty()) {
                throw new HandshakeException("server accepted extension '" + name
                        + "', which the runner did not offer (RFC 6455 §4.1, §9.1)");
            }
            if (deflate != null) {
                throw new HandshakeException("server accepted permessage-deflate twice (RFC 7692 §5)");
            }
            try {
                deflate = DeflateParameters.fromResponse(parts.stream().map(String::trim).filter(s -> !s.isEmpty()).toList(),
                        offers);
            } catch (IllegalArgumentException e) {
                throw new HandshakeException(e.getMessage());
            }
        }
        return deflate;
    }

    private static List<String> tokens(Map<String, List<String>> headers, String name) {
        List<String> tokens = new ArrayList<>();
        for (String v : headers.getOrDefault(name, List.of())) {
            for (String t : v.split(",")) {
                tokens.add(t.trim().toLowerCase(Locale.ROOT));
            }
        }
        return tokens;
    }
}
