package dev.websock.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link UpgradeRequestParser} and the parser it shares with {@link UpgradeResponseParser}, grouped like RFC 9112. */
class UpgradeRequestParserTest {

    /** RFC 9112 §2: where a head ends, line endings, and what is left for the WebSocket connection. */
    @Nested
    class Rfc9112Section2_MessageFraming {

        private static final String HEAD = Wire.head(Wire.MINIMAL);

        @Test
        void bytesAfterTheHeadStayInTheBuffer() {
            byte[] frame = {(byte) 0x81, (byte) 0x85, 1, 2, 3, 4, 'h', 'e', 'l', 'l', 'o'};
            byte[] input = Wire.latin1(HEAD + Wire.latin1(frame));
            Wire.Outcome outcome = Wire.parse(input, HandshakeLimits.DEFAULTS);
            assertSame(ParserState.DONE, outcome.state());
            assertEquals(HEAD.length(), outcome.consumed());
        }

        @Test
        void pipelinedFrameIsLeftAtThePositionForTheFrameDecoder() {
            ByteBuffer in = ByteBuffer.wrap(Wire.latin1(HEAD + "\u0081\u0080XYZW"));
            UpgradeRequestParser parser = new UpgradeRequestParser();
            assertSame(ParserState.DONE, parser.parse(in));
            assertEquals(0x81, in.get() & 0xFF);
            assertEquals(5, in.remaining());
        }

        @Test
        void parserReadsNothingOnceDone() {
            UpgradeRequestParser parser = new UpgradeRequestParser();
            parser.parse(ByteBuffer.wrap(Wire.latin1(HEAD)));
            ByteBuffer more = ByteBuffer.wrap(Wire.latin1(HEAD));
            assertSame(ParserState.DONE, parser.parse(more));
            assertEquals(0, more.position());
        }

        @Test
        void parserReadsNothingOnceFailed() {
            UpgradeRequestParser parser = new UpgradeRequestParser();
            assertSame(ParserState.FAILED, parser.parse(ByteBuffer.wrap(Wire.latin1("GET / HTTP/1.1\n"))));
            ByteBuffer more = ByteBuffer.wrap(Wire.latin1(HEAD));
            assertSame(ParserState.FAILED, parser.parse(more));
            assertEquals(0, more.position());
        }

        @Test
        void emptyBufferChangesNothing() {
            UpgradeRequestParser parser = new UpgradeRequestParser();
            assertSame(ParserState.NEED_MORE, parser.parse(ByteBuffer.allocate(0)));
            assertSame(ParserState.NEED_MORE, parser.parse(ByteBuffer.wrap(Wire.latin1("GET / HT"))));
            assertSame(ParserState.NEED_MORE, parser.parse(ByteBuffer.allocate(0)));
        }

        @Test
        void incompleteHeadNeedsMore() {
            for (int cut = 0; cut < HEAD.length(); cut++) {
                UpgradeRequestParser parser = new UpgradeRequestParser();
                ByteBuffer in = ByteBuffer.wrap(Wire.latin1(HEAD.substring(0, cut)));
                assertSame(ParserState.NEED_MORE, parser.parse(in), "cut at " + cut);
                assertEquals(cut, in.position());
            }
        }

        @Test
        void readOnlyAndDirectBuffersAreReadAlike() {
            byte[] input = Wire.latin1(HEAD + "tail");
            ByteBuffer direct = ByteBuffer.allocateDirect(input.length + 10).position(10);
            direct.put(input).position(10);
            UpgradeRequestParser fromDirect = new UpgradeRequestParser();
            UpgradeRequestParser fromReadOnly = new UpgradeRequestParser();
            ByteBuffer readOnly = ByteBuffer.wrap(input).asReadOnlyBuffer();

            assertSame(ParserState.DONE, fromDirect.parse(direct));
            assertSame(ParserState.DONE, fromReadOnly.parse(readOnly));
            assertEquals(fromDirect.request(), fromReadOnly.request());
            assertEquals(4, direct.remaining());
            assertEquals(4, readOnly.remaining());
        }

        @Test
        void requestAndRejectionAreOnlyThereInTheirState() {
            UpgradeRequestParser parser = new UpgradeRequestParser();
            assertThrows(IllegalStateException.class, parser::request);
            assertThrows(IllegalStateException.class, parser::rejection);
            parser.parse(ByteBuffer.wrap(Wire.latin1(HEAD)));
            assertThrows(IllegalStateException.class, parser::rejection);
        }

        @Test
        void oneEmptyLineBeforeTheRequestLineIsIgnored() {
            // RFC 9112 §2.2: a server "SHOULD ignore at least one empty line (CRLF) received prior to the request-line".
            Wire.Outcome outcome = Wire.parse("\r\n" + HEAD);
            assertSame(ParserState.DONE, outcome.state());
            assertEquals(HEAD.length() + 2, outcome.consumed());
        }

        @Test
        void secondEmptyLineBeforeTheRequestLineIsAnEmptyRequestLine() {
            assertTrue(Wire.parseRejection("\r\n\r\n" + HEAD).reason().contains("empty request line"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "GET / HTTP/1.1\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n\n",
            "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\n\n",
        })
        void bareLfIsRefusedWith400(String input) {
            HandshakeRejection rejection = Wire.parseRejection(input);
            assertEquals(400, rejection.status());
            assertTrue(rejection.reason().contains("bare LF"), rejection.reason());
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "GET / HTTP/1.1\rHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n\rX",
            "\rGET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
        })
        void bareCrIsRefusedWith400(String input) {
            HandshakeRejection rejection = Wire.parseRejection(input);
            assertEquals(400, rejection.status());
            assertTrue(rejection.reason().contains("bare CR"), rejection.reason());
        }

        @Test
        void whitespaceBetweenTheRequestLineAndTheFirstFieldIsRefused() {
            // RFC 9112 §2.2: reject, or ignore the whitespace-preceded lines; we reject.
            HandshakeRejection rejection = Wire.parseRejection("GET / HTTP/1.1\r\n Host: a\r\n\r\n");
            assertEquals(400, rejection.status());
            assertTrue(rejection.reason().contains("first header line"), rejection.reason());
        }

        @Test
        void tlsClientHelloOnAPlainPortFailsAtTheFirstByte() {
            byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
            Wire.Outcome outcome = Wire.parse(hello, HandshakeLimits.DEFAULTS);
            assertSame(ParserState.FAILED, outcome.state());
            assertEquals(1, outcome.consumed());
            assertTrue(outcome.rejection().reason().contains("TLS"), outcome.rejection().reason());
        }
    }

    /** RFC 9112 §3: {@code request-line = method SP request-target SP HTTP-version}, and the target forms. */
    @Nested
    class Rfc9112Section3_RequestLine {

        private static UpgradeRequest withRequestLine(String line) {
            return Wire.request(Wire.replace(Wire.MINIMAL, "GET", line));
        }

        private static HandshakeRejection rejectedRequestLine(String line) {
            return Wire.parseRejection(Wire.head(Wire.replace(Wire.MINIMAL, "GET", line)));
        }

        @Test
        void requestLineIsSplitIntoItsThreeParts() {
            UpgradeRequest request = withRequestLine("GET /chat?room=1&x=%20 HTTP/1.1");
            assertEquals("GET", request.method());
            assertEquals("/chat?room=1&x=%20", request.target());
            assertEquals("HTTP/1.1", request.version());
            assertEquals("/chat", request.path());
            assertEquals("room=1&x=%20", request.query());
        }

        @ParameterizedTest
        @CsvSource({
            "/,                          /,        ,           example.com",
            "/a/b,                       /a/b,     ,           example.com",
            "/a?,                        /a,       '',         example.com",
            "/a?b?c,                     /a,       b?c,        example.com",
            "ws://h.example:81/p?q,      /p,       q,          h.example:81",
            "wss://h.example,            /,        ,           h.example",
            "http://h.example?q,         /,        q,          h.example",
            "HTTPS://[::1]:8443/x/y,     /x/y,     ,           [::1]:8443",
        })
        void pathQueryAndAuthorityComeFromEitherTargetForm(String target, String path, String query, String authority) {
            UpgradeRequest request = withRequestLine("GET " + target + " HTTP/1.1");
            assertEquals(path, request.path());
            assertEquals(query, request.query());
            assertEquals(authority, request.authority());
        }

        @Test
        void originFormWithoutAQueryHasNoQuery() {
            assertNull(withRequestLine("GET /a HTTP/1.1").query());
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "GET  / HTTP/1.1",
            "GET /  HTTP/1.1",
            " GET / HTTP/1.1",
            "GET / HTTP/1.1 ",
            "GET /a b HTTP/1.1",
            "GET / HTTP/1.1 extra",
            "GET /",
            "GET",
            "GET\t/\tHTTP/1.1",
        })
        void requestLineThatIsNotThreePartsWithSingleSpacesIsRefused(String line) {
            assertEquals(400, rejectedRequestLine(line).status());
        }

        @ParameterizedTest
        @ValueSource(strings = {"GET / HTTP/1", "GET / HTTP/1.1.1", "GET / http/1.1", "GET / HTTP/11", "GET / HTTP/a.b",
                "GET / HTTPS/1.1"})
        void versionThatIsNotHttpDigitDotDigitIsRefused(String line) {
            assertTrue(rejectedRequestLine(line).reason().contains("is not an HTTP version"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"G(ET / HTTP/1.1", "GE\"T / HTTP/1.1", "GET@ / HTTP/1.1"})
        void methodThatIsNotATokenIsRefused(String line) {
            assertTrue(rejectedRequestLine(line).reason().contains("is not a token"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"*", "example.com:443", "chat", "ftp://example.com/", "ws:/x", "ws://", "ws://a b/",
                "ws://user@example.com/", "ws://example.com:99999/"})
        void targetThatIsNeitherAPathNorAnAbsoluteUriIsRefused(String target) {
            HandshakeRejection rejection = rejectedRequestLine("GET " + target + " HTTP/1.1");
            assertEquals(400, rejection.status());
        }

        @Test
        void targetWithAFragmentIsRefused() {
            assertTrue(rejectedRequestLine("GET /chat#top HTTP/1.1").reason().contains("fragment"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"GET /caf\u00e9 HTTP/1.1", "GET /\u0000 HTTP/1.1", "GET /\u007f HTTP/1.1",
                "GET /\u0085 HTTP/1.1"})
        void nonAsciiAndControlBytesInTheRequestLineAreRefused(String line) {
            assertEquals(400, rejectedRequestLine(line).status());
        }

        @Test
        void emptyRequestLineIsRefused() {
            assertTrue(Wire.parseRejection("\r\n\r\n").reason().contains("empty request line"));
        }
    }

    /** RFC 9112 §5 and RFC 9110 §5.5: {@code field-line = field-name ":" OWS field-value OWS}. */
    @Nested
    class Rfc9112Section5_FieldSyntax {

        private static HandshakeRejection rejectedWith(String... extraLines) {
            return Wire.parseRejection(Wire.head(Wire.plus(Wire.MINIMAL, extraLines)));
        }

        private static void assertRejected(String reasonPart, String... extraLines) {
            HandshakeRejection rejection = rejectedWith(extraLines);
            assertEquals(400, rejection.status());
            assertTrue(rejection.reason().contains(reasonPart), () -> rejection.reason() + " should mention " + reasonPart);
        }

        @Test
        void whitespaceAroundTheValueIsNotPartOfIt() {
            UpgradeRequest request = Wire.request(Wire.plus(Wire.MINIMAL, "X-A:value", "X-B: \t value \t ", "X-C:   ",
                    "X-D: a  b\tc"));
            assertEquals("value", request.header("X-A"));
            assertEquals("value", request.header("X-B"));
            assertEquals("", request.header("X-C"));
            assertEquals("a  b\tc", request.header("X-D"));
        }

        @Test
        void namesKeepTheirCaseAndValuesTheirBytes() {
            UpgradeRequest request = Wire.request(Wire.plus(Wire.MINIMAL, "X-MiXeD: Ab:c://d"));
            assertEquals("X-MiXeD", request.headers().name(5));
            assertEquals("Ab:c://d", request.headers().value(5));
        }

        @Test
        void everyTokenCharacterIsAllowedInANameAndSpecialsAreNot() {
            Wire.request(Wire.plus(Wire.MINIMAL, "!#$%&'*+-.^_`|~09azAZ: x"));
            for (char special : "\"(),/;<=>?@[\\]{}".toCharArray()) {
                HandshakeRejection rejection = rejectedWith("X" + special + "Y: z");
                assertEquals(400, rejection.status(), () -> "name with " + special);
            }
        }

        @Test
        void obsTextInAValueIsKeptAsLatin1() {
            // RFC 9110 §5.5: obs-text is allowed; we hand the bytes out as chars 0x80-0xFF, undecoded.
            String utf8OfEacute = "\u00c3\u00a9"; // the two bytes of UTF-8 "é", each as one char
            UpgradeRequest request = Wire.request(Wire.plus(Wire.MINIMAL, "X-Name: caf" + utf8OfEacute + " \u00ff"));
            assertEquals("caf\u00c3\u00a9 \u00ff", request.header("X-Name"));
            assertEquals("café", new String(request.header("X-Name").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    java.nio.charset.StandardCharsets.UTF_8).substring(0, 4));
        }

        @Test
        void lineWithoutAColonIsRefused() {
            assertRejected("has no colon", "NoColonHere");
        }

        @Test
        void whitespaceBeforeTheColonIsRefused() {
            // RFC 9112 §5.1: "A server MUST reject, with a response status code of 400 (Bad Request), any received
            // request message that contains whitespace between a header field name and colon."
            assertRejected("whitespace between header name", "Host : evil.example");
            assertRejected("whitespace between header name", "X-A\t: b");
        }

        @Test
        void foldedLineIsRefused() {
            assertRejected("obs-fold", "X-A: first", " continued");
            assertRejected("obs-fold", "X-A: first", "\tcontinued");
        }

        @Test
        void emptyNameIsRefused() {
            assertRejected("empty header name", ": value");
        }

        @ParameterizedTest
        @ValueSource(strings = {"X-\u00e9: v", "\u00e9: v", "X\u0000: v", "X\u007f: v"})
        void nonAsciiOrControlByteInANameIsRefused(String line) {
            assertEquals(400, rejectedWith(line).status());
        }

        @Test
        void nulInAValueIsRefused() {
            assertRejected("NUL in the value of header X-A", "X-A: a\u0000b");
        }

        @ParameterizedTest
        @ValueSource(chars = {0x01, 0x08, 0x0b, 0x0c, 0x1b, 0x1f, 0x7f})
        void controlCharacterInAValueIsRefused(char control) {
            assertRejected("control", "X-A: a" + control + "b");
        }

        @Test
        void everyByteIsJudgedWhereverItFallsInALongValue() {
            // The whole-buffer path reads values eight bytes at a time: try each kind of byte at each offset.
            for (int b : new int[] {0x00, 0x01, 0x09, 0x1f, 0x20, 0x21, 0x7e, 0x7f, 0x80, 0xff}) {
                for (int at = 0; at < 24; at++) {
                    char[] value = "abcdefghijklmnopqrstuvwx".toCharArray();
                    value[at] = (char) b;
                    Wire.Outcome outcome = Wire.parse(Wire.head(Wire.plus(Wire.MINIMAL, "X-Long: " + new String(value))));
                    boolean allowed = b == 0x09 || b >= 0x20 && b != 0x7f;
                    int offset = at;
                    assertEquals(allowed ? ParserState.DONE : ParserState.FAILED, outcome.state(),
                            () -> "byte 0x" + Integer.toHexString(b) + " at " + offset);
                    if (allowed) {
                        assertEquals(new String(value).strip(), outcome.request().header("X-Long"));
                    }
                }
            }
        }

        @Test
        void repeatedFieldsKeepTheirOrder() {
            UpgradeRequest request = Wire.request(Wire.plus(Wire.MINIMAL, "Cookie: a=1", "X-Other: y", "cookie: b=2"));
            assertEquals(List.of("a=1", "b=2"), request.headers().all("COOKIE"));
            assertEquals(8, request.headers().size());
        }
    }

    /**
     * RFC 6585 §5 (431) and RFC 9112 §3 (414): what {@link HandshakeLimits} bounds, where exactly, and that a
     * parser never holds more than the limits allow, however much a peer sends.
     */
    @Nested
    class Rfc6585Section5_RequestHeaderFieldsTooLarge {

        private static final HandshakeLimits SMALL = new HandshakeLimits(64, 256, 8);

        /** {@link Wire#MINIMAL} (5 fields) with a header X-Pad padded so the header block is exactly {@code bytes}. */
        private static String headWithHeaderBlockOf(int bytes) {
            String minimal = Wire.head(Wire.MINIMAL);
            int block = minimal.length() - minimal.indexOf("\r\n") - 2;
            int pad = bytes - block - "X-Pad: \r\n".length();
            return minimal.substring(0, minimal.length() - 2) + "X-Pad: " + "p".repeat(pad) + "\r\n\r\n";
        }

        @Test
        void headerBlockOfExactlyTheLimitIsAccepted() {
            Wire.Outcome outcome = Wire.parse(Wire.latin1(headWithHeaderBlockOf(8192)), HandshakeLimits.DEFAULTS);
            assertSame(ParserState.DONE, outcome.state());
        }

        @Test
        void headerBlockOneByteOverTheLimitIs431() {
            Wire.Outcome outcome = Wire.parse(Wire.latin1(headWithHeaderBlockOf(8193)), HandshakeLimits.DEFAULTS);
            assertSame(ParserState.FAILED, outcome.state());
            assertEquals(431, outcome.rejection().status());
            assertTrue(outcome.rejection().reason().contains("maxHeaderBytes"), outcome.rejection().reason());
            // It stops at the limit: the start line, then exactly 8192 header bytes.
            assertEquals("GET / HTTP/1.1\r\n".length() + 8192, outcome.consumed());
        }

        @Test
        void oneHugeHeaderIs431() {
            String huge = Wire.head(Wire.plus(Wire.MINIMAL, "Cookie: " + "c".repeat(100_000)));
            assertEquals(431, Wire.parse(Wire.latin1(huge), HandshakeLimits.DEFAULTS).rejection().status());
        }

        @Test
        void moreFieldsThanTheLimitIs431AndExactlyTheLimitIsAccepted() {
            List<String> lines = new ArrayList<>(List.of(Wire.MINIMAL));
            while (lines.size() - 1 < 100) {
                lines.add("X-" + lines.size() + ": v");
            }
            assertSame(ParserState.DONE, Wire.parse(Wire.head(lines.toArray(String[]::new))).state());
            lines.add("X-One-Too-Many: v");
            HandshakeRejection rejection = Wire.parseRejection(Wire.head(lines.toArray(String[]::new)));
            assertEquals(431, rejection.status());
            assertTrue(rejection.reason().contains("more than 100 header fields"), rejection.reason());
        }

        @Test
        void requestLineOverTheLimitIs414() {
            String target = "/" + "a".repeat(8192);
            HandshakeRejection rejection = Wire.parseRejection(Wire.head(Wire.replace(Wire.MINIMAL, "GET", "GET " + target + " HTTP/1.1")));
            assertEquals(414, rejection.status());
            assertTrue(rejection.reason().contains("maxStartLineBytes"), rejection.reason());
        }

        @Test
        void requestLineOfExactlyTheLimitIsAccepted() {
            String line = "GET /" + "a".repeat(64 - "GET / HTTP/1.1\r\n".length()) + " HTTP/1.1";
            assertEquals(62, line.length());
            Wire.Outcome outcome = Wire.parse(Wire.latin1(Wire.head(Wire.replace(Wire.MINIMAL, "GET", line))),
                    SMALL.withMaxHeaderBytes(1024));
            assertSame(ParserState.DONE, outcome.state());
        }

        @Test
        void requestLineOneByteOverTheLimitIs414() {
            String line = "GET /" + "a".repeat(65 - "GET / HTTP/1.1\r\n".length()) + " HTTP/1.1";
            Wire.Outcome outcome = Wire.parse(Wire.latin1(Wire.head(Wire.replace(Wire.MINIMAL, "GET", line))),
                    SMALL.withMaxHeaderBytes(1024));
            assertEquals(414, outcome.rejection().status());
            assertEquals(64, outcome.consumed());
        }

        @Test
        void noSpaceWithinTheRequestLineLimitIs400NotHttp() {
            HandshakeRejection rejection = Wire.parseRejection("A".repeat(10_000));
            assertEquals(400, rejection.status());
            assertTrue(rejection.reason().contains("no request line"), rejection.reason());
        }

        @Test
        void parserNeverHoldsMoreThanTheLargerByteLimit() {
            HandshakeLimits limits = new HandshakeLimits(64, 300, 8);
            byte[] endless = Wire.latin1("GET / HTTP/1.1\r\nCookie: " + "c".repeat(1 << 20));
            HeadParser bytewise = new HeadParser(true, limits, (line, length) -> true);
            int offset = 0;
            while (bytewise.state() == ParserState.NEED_MORE) {
                bytewise.parse(ByteBuffer.wrap(endless, offset++, 1));
                assertTrue(bytewise.capacity() <= 300, "holds " + bytewise.capacity());
            }
            assertEquals(431, bytewise.failureStatus());
            assertEquals(16 + 300 + 1, offset); // the byte past the limit was offered, and refused
        }

        @Test
        void parserGrowsItsBufferOnlyAsTheHeadNeedsIt() {
            UpgradeRequestParser parser = new UpgradeRequestParser(HandshakeLimits.DEFAULTS.withMaxHeaderBytes(1 << 20));
            HeadParser probe = new HeadParser(true, HandshakeLimits.DEFAULTS.withMaxHeaderBytes(1 << 20), (l, n) -> true);
            byte[] chrome = Wire.latin1(Wire.head(Wire.CHROME));
            probe.parse(ByteBuffer.wrap(chrome, 0, chrome.length - 2));
            assertTrue(probe.capacity() <= 1024, "holds " + probe.capacity() + " bytes for a " + chrome.length + "-byte head");
            assertSame(ParserState.DONE, parser.parse(ByteBuffer.wrap(chrome)));
        }

        @Test
        void responseParserHasTheSameLimits() {
            UpgradeResponseParser parser = new UpgradeResponseParser(SMALL);
            ByteBuffer in = ByteBuffer.wrap(Wire.latin1("HTTP/1.1 101 Switching Protocols\r\nX: " + "x".repeat(300)));
            assertSame(ParserState.FAILED, parser.parse(in));
            assertTrue(parser.failureReason().contains("maxHeaderBytes"), parser.failureReason());
        }

        @Test
        void limitsOutsideTheirRangeAreRefused() {
            assertThrows(IllegalArgumentException.class, () -> new HandshakeLimits(63, 8192, 100));
            assertThrows(IllegalArgumentException.class, () -> new HandshakeLimits(8192, 255, 100));
            assertThrows(IllegalArgumentException.class, () -> new HandshakeLimits(8192, 8192, 7));
            assertThrows(IllegalArgumentException.class, () -> HandshakeLimits.DEFAULTS.withMaxHeaderBytes(HandshakeLimits.MAX_BYTES + 1));
            assertEquals(new HandshakeLimits(8192, 8192, 100), HandshakeLimits.DEFAULTS);
        }
    }
}
