package dev.websock.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: heads written as lines, and parsing that checks every way of cutting the input agrees. */
final class Wire {

    /** A Chrome 131 handshake, as Chrome sends it (header order and values included). */
    static final String[] CHROME = {
        "GET /chat?room=42 HTTP/1.1",
        "Host: example.com",
        "Connection: Upgrade",
        "Pragma: no-cache",
        "Cache-Control: no-cache",
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Upgrade: websocket",
        "Origin: https://example.com",
        "Sec-WebSocket-Version: 13",
        "Accept-Encoding: gzip, deflate, br, zstd",
        "Accept-Language: en-US,en;q=0.9,de;q=0.8",
        "Cookie: session=6f1c2b9e0a; theme=dark",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
    };

    /** A Firefox 133 handshake: note {@code Connection: keep-alive, Upgrade} and the Sec-Fetch fields. */
    static final String[] FIREFOX = {
        "GET /chat HTTP/1.1",
        "Host: example.com:8443",
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Accept: */*",
        "Accept-Language: en-US,en;q=0.5",
        "Accept-Encoding: gzip, deflate, br, zstd",
        "Sec-WebSocket-Version: 13",
        "Origin: https://example.com:8443",
        "Sec-WebSocket-Extensions: permessage-deflate",
        "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==",
        "Connection: keep-alive, Upgrade",
        "Cookie: session=6f1c2b9e0a",
        "Sec-Fetch-Dest: empty",
        "Sec-Fetch-Mode: websocket",
        "Sec-Fetch-Site: same-origin",
        "Pragma: no-cache",
        "Cache-Control: no-cache",
        "Upgrade: websocket",
    };

    /** The Autobahn testsuite's handshake (from an Autobahn report): note {@code Upgrade: WebSocket}. */
    static final String[] AUTOBAHN = {
        "GET /wss HTTP/1.1",
        "User-Agent: AutobahnTestSuite/25.10.1-0.10.9",
        "Host: 127.0.0.1:8889",
        "Upgrade: WebSocket",
        "Connection: Upgrade",
        "Pragma: no-cache",
        "Cache-Control: no-cache",
        "Sec-WebSocket-Key: R5cs4WZOrWEihqhuEIGAjA==",
        "Sec-WebSocket-Version: 13",
    };

    /** The smallest acceptable handshake. */
    static final String[] MINIMAL = {
        "GET / HTTP/1.1",
        "Host: example.com",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    };

    private Wire() {}

    /** The lines joined with CRLF, and the empty line that ends a head. */
    static String head(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }

    /** {@code lines} with the line starting with {@code prefix} (ignoring case) replaced by {@code line}, or removed when null. */
    static String[] replace(String[] lines, String prefix, String line) {
        List<String> out = new ArrayList<>();
        boolean found = false;
        for (String l : lines) {
            if (l.regionMatches(true, 0, prefix, 0, prefix.length())) {
                found = true;
                if (line != null) {
                    out.add(line);
                }
            } else {
                out.add(l);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no line starts with " + prefix);
        }
        return out.toArray(String[]::new);
    }

    /** {@code lines} and more lines after them. */
    static String[] plus(String[] lines, String... more) {
        List<String> out = new ArrayList<>(List.of(lines));
        out.addAll(List.of(more));
        return out.toArray(String[]::new);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** What a request parser made of some input, and how many bytes it took. */
    record Outcome(ParserState state, UpgradeRequest request, HandshakeRejection rejection, int consumed) {}

    /**
     * Parses {@code input} whole, one byte at a time, and in chunks of 2, 3, 7 and 100 bytes; checks that all
     * agree, and returns the outcome.
     */
    static Outcome parse(byte[] input, HandshakeLimits limits) {
        Outcome whole = parseInChunks(input, limits, new int[] {input.length});
        for (int size : new int[] {1, 2, 3, 7, 100}) {
            assertEquals(whole, parseInChunks(input, limits, sizes(input.length, size)), "chunks of " + size);
        }
        return whole;
    }

    static Outcome parse(String input) {
        return parse(latin1(input), HandshakeLimits.DEFAULTS);
    }

    /** The request the lines make, which must parse. */
    static UpgradeRequest request(String... lines) {
        Outcome outcome = parse(head(lines));
        assertSame(ParserState.DONE, outcome.state(), () -> "rejected: " + outcome.rejection());
        return outcome.request();
    }

    /** The rejection the input earns from the parser, which must fail. */
    static HandshakeRejection parseRejection(String input) {
        Outcome outcome = parse(input);
        assertSame(ParserState.FAILED, outcome.state(), () -> "parsed: " + outcome.request());
        return outcome.rejection();
    }

    /** The verdict of ServerHandshake.validate on the request the lines make. */
    static ServerHandshake.Verdict verdict(String... lines) {
        return ServerHandshake.validate(request(lines));
    }

    /** Feeds {@code input} in chunks of the given sizes (the last one may be cut short), each in a fresh buffer. */
    static Outcome parseInChunks(byte[] input, HandshakeLimits limits, int[] chunkSizes) {
        UpgradeRequestParser parser = new UpgradeRequestParser(limits);
        int offset = 0;
        int consumed = 0;
        ParserState state = ParserState.NEED_MORE;
        for (int size : chunkSizes) {
            if (offset >= input.length) {
                break;
            }
            int length = Math.min(size, input.length - offset);
            ByteBuffer chunk = ByteBuffer.wrap(input, offset, length).slice();
            state = parser.parse(chunk);
            consumed += chunk.position();
            offset += length;
            if (state != ParserState.NEED_MORE) {
                break;
            }
        }
        return new Outcome(state, state == ParserState.DONE ? parser.request() : null,
                state == ParserState.FAILED ? parser.rejection() : null, consumed);
    }

    static int[] sizes(int total, int size) {
        int[] sizes = new int[(total + size - 1) / size];
        java.util.Arrays.fill(sizes, size);
        return sizes;
    }

    /** The response a parser reads from {@code bytes}, which must parse in one piece and one byte at a time alike. */
    static UpgradeResponse response(byte[] bytes) {
        UpgradeResponseParser whole = new UpgradeResponseParser();
        assertSame(ParserState.DONE, whole.parse(ByteBuffer.wrap(bytes)), () -> whole.state() == ParserState.FAILED
                ? whole.failureReason() : "incomplete");
        UpgradeResponseParser bytewise = new UpgradeResponseParser();
        for (byte b : bytes) {
            bytewise.parse(ByteBuffer.wrap(new byte[] {b}));
        }
        assertEquals(whole.response(), bytewise.response());
        return whole.response();
    }

    static UpgradeResponse response(String... lines) {
        return response(latin1(head(lines)));
    }
}
