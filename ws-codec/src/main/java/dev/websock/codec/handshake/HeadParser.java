package dev.websock.codec.handshake;

import dev.websock.codec.http.HttpSyntax;
import static dev.websock.codec.http.HttpSyntax.CR;
import static dev.websock.codec.http.HttpSyntax.HTAB;
import static dev.websock.codec.http.HttpSyntax.LF;
import static dev.websock.codec.http.HttpSyntax.SP;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one HTTP/1.1 head parser (RFC 9112 §2-§5) behind {@link UpgradeRequestParser} and
 * {@link UpgradeResponseParser}: a start line, header field lines, an empty line. It is a state machine fed
 * with chunks of any size; it stops right after the empty line, so what follows (a first WebSocket frame
 * sent without waiting for the 101) stays in the caller's buffer.
 *
 * <p>Strict by design, because a parser that guesses where a line ends disagrees with the proxies in
 * front of it (request smuggling). It fails on:
 * <ul>
 *   <li>a bare LF or bare CR: RFC 9112 §2.2 lets a recipient accept a bare LF but does not require it, and
 *       no WebSocket client sends one;</li>
 *   <li>a line that starts with whitespace: obs-fold (§5.2) or whitespace before the first field (§2.2);</li>
 *   <li>whitespace between a field name and its colon (§5.1 requires 400), a line without a colon, a name
 *       that is not a token (so no non-ASCII byte in names);</li>
 *   <li>NUL, CR, LF or another control character in a value (RFC 9110 §5.5); bytes 0x80-0xFF are kept
 *       (obs-text);</li>
 *   <li>the limits of {@link HandshakeLimits}, each checked before the bytes it guards are stored.</li>
 * </ul>
 * Following RFC 9112 §2.2 ("SHOULD ignore at least one empty line"), one CRLF before a request line is
 * skipped.
 *
 * <p>Two paths, one grammar. Field lines that are whole in the buffer (nearly always: a head comes in one
 * read) are taken by {@link #fieldLines}, a line per iteration and one copy for all of them. A line split by a read,
 * or one that breaks a rule, goes byte by byte through the phases, which also say what is wrong. The tests
 * feed every input whole, byte by byte and in random pieces, and require the same outcome.
 *
 * <p>The start line is kept until it has been read; after it, the field lines are kept in one array that grows on demand up to the larger of the two byte limits, and that {@link Headers}
 * takes over: it makes a string of a field only when asked.
 */
final class HeadParser {

    /** Reads a complete start line; calls {@link #fail} and returns false when it is not acceptable. */
    @FunctionalInterface
    interface StartLineReader {
        boolean read(byte[] line, int length);
    }

    private static final int MIN_CAPACITY = 256;
    private static final int INITIAL_FIELDS = 16;

    // Phases.
    private static final int START_LINE = 0;    // in the start line
    private static final int START_LINE_LF = 1; // after the CR that ends the start line
    private static final int LEADING_LF = 2;    // after the CR of an empty line before the request line
    private static final int LINE_START = 3;    // at the first byte of a field line or of the final empty line
    private static final int NAME = 4;          // in a field name
    private static final int VALUE = 5;         // after the colon
    private static final int VALUE_LF = 6;      // after the CR that ends a field line
    private static final int END_LF = 7;        // after the CR of the final empty line

    // RFC 9110 §5.5: what a field value holds, by byte: VCHAR and obs-text, SP and HTAB, or neither.
    private static final byte VISIBLE = 2;
    private static final byte[] VALUE_BYTE = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            VALUE_BYTE[b] = !HttpSyntax.isFieldValueByte(b) ? 0 : HttpSyntax.isOws(b) ? 1 : VISIBLE;
        }
    }

    // Any byte order does: the eight bytes are tested alike.
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final boolean request;
    private final HandshakeLimits limits;
    private final StartLineReader startLineReader;
    private final String startLineName;

    private ParserState state = ParserState.NEED_MORE;
    private int phase = START_LINE;
    private boolean inHeaderBlock;
    private boolean skippedEmptyLine;
    /** Bytes the current section (start line, or header block) may still take. */
    private int budget;

    /** The start line; after it, the field lines (less what the byte-wise path drops: colons, whitespace, CRLFs). */
    private byte[] bytes = new byte[0];
    private int length;
    private int firstCapacity;
    /** Per field, in {@link #bytes}: where its name starts and ends, and where its value starts and ends. */
    private int[] bounds = new int[0];
    private int fieldCount;
    private int valueEnd; // after the last byte of the current value that is not whitespace

    private int failureStatus;
    private String failureReason;
    private Headers headers;

    HeadParser(boolean request, HandshakeLimits limits, StartLineReader startLineReader) {
        this.request = request;
        this.limits = limits;
        this.startLineReader = startLineReader;
        this.startLineName = request ? "request line" : "status line";
        this.budget = limits.maxStartLineBytes();
    }

    ParserState state() {
        return state;
    }

    int failureStatus() {
        return failureStatus;
    }

    String failureReason() {
        return failureReason;
    }

    /** The fields, once {@link ParserState#DONE}. */
    Headers headers() {
        return headers;
    }

    /** How many bytes the parser holds now: never more than the larger byte limit. */
    int capacity() {
        return bytes == null ? 0 : bytes.length;
    }

    ParserState parse(ByteBuffer in) {
        int at = in.position();
        int end = in.limit();
        if (firstCapacity == 0) {
            // A head usually arrives in one read: size the first array for it, not for the limit.
            firstCapacity = Math.max(MIN_CAPACITY, end - at);
        }
        while (at < end && state == ParserState.NEED_MORE) {
            if (budget == 0) {
                exceeded();
                break;
            }
            // Each step takes at most what the section's budget allows, and charges what it took.
            int stop = end - at > budget ? at + budget : end;
            int next = switch (phase) {
                case START_LINE -> startLine(in, at, stop);
                case LINE_START -> fieldLines(in, at, stop);
                case NAME -> name(in, at, stop);
                case VALUE -> value(in, at, stop);
                default -> at;
            };
            if (next == at && state == ParserState.NEED_MORE) {
                budget--;
                oneByte(in.get(at) & 0xFF);
                next = at + 1;
            }
            at = next;
        }
        in.position(at);
        return state;
    }

    private int startLine(ByteBuffer in, int at, int stop) {
        int i = at;
        while (i < stop && isStartLineByte(in.get(i) & 0xFF)) {
            i++;
        }
        store(in, at, i);
        budget -= i - at;
        return i; // the byte that ended the run, if any, is for oneByte
    }

    private boolean isStartLineByte(int b) {
        return b == SP || (b > 0x20 && b < 0x7F)
                // RFC 9112 §4: a reason phrase may hold HTAB and obs-text; a request line never does.
                || (!request && (b == HTAB || b >= 0x80));
    }

    /**
     * The fast path: takes every field line, and the empty line that ends the head, that is whole in
     * {@code in[at, stop)} and valid, and copies them all at once. Stops at the first line that is not, and
     * leaves it to the byte-wise phases.
     */
    private int fieldLines(ByteBuffer in, int at, int stop) {
        int offset = length - at; // where in[at] lands in the array
        int line = at;
        boolean ended = false;
        while (line < stop) {
            if (in.get(line) == CR) {
                ended = line + 1 < stop && in.get(line + 1) == LF;
                if (ended) {
                    line += 2;
                }
                break;
            }
            if (fieldCount == limits.maxHeaderCount()) {
                break;
            }
            int i = line;
            while (i < stop && HttpSyntax.isTchar(in.get(i))) {
                i++;
            }
            if (i == line || i == stop || in.get(i) != ':') {
                break;
            }
            int colon = i++;
            while (i < stop && HttpSyntax.isOws(in.get(i))) {
                i++;
            }
            int valueStart = i;
            i = valueRunEnd(in, i, stop);
            if (i + 1 >= stop || in.get(i) != CR || in.get(i + 1) != LF) {
                break;
            }
            int valueStop = i;
            while (valueStop > valueStart && HttpSyntax.isOws(in.get(valueStop - 1))) {
                valueStop--; // RFC 9110 §5.5: trailing whitespace is not part of the value
            }
            addField(offset + line, offset + colon, offset + valueStart, offset + valueStop);
            line = i + 2;
        }
        store(in, at, line); // CRLFs included: simpler than leaving them out, and bounded like the rest
        budget -= line - at;
        if (ended) {
            finish();
        }
        return line;
    }

    /**
     * Where the run of field value bytes from {@code i} ends: eight bytes at a time while none of them is a
     * control character or DEL (values are most of a browser's bytes), then byte by byte.
     */
    private static int valueRunEnd(ByteBuffer in, int i, int stop) {
        while (true) {
            if (stop - i >= 8) {
                long word = (long) LONG.get(in, i);
                // Bit 7 of a byte of each mask is set for a byte below 0x20 (so HTAB too, which the byte-wise
                // step below takes), or for a DEL; bytes 0x80-0xFF set neither.
                long below0x20 = (word - 0x2020202020202020L) & ~word;
                long del = word ^ 0x7F7F7F7F7F7F7F7FL;
                long isDel = (del - 0x0101010101010101L) & ~del;
                if (((below0x20 | isDel) & 0x8080808080808080L) == 0) {
                    i += 8;
                    continue;
                }
            }
            if (i < stop && VALUE_BYTE[in.get(i) & 0xFF] != 0) {
                i++;
                continue;
            }
            return i;
        }
    }

    private void addField(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        ensureFieldCapacity();
        int at = 4 * fieldCount++;
        bounds[at] = nameStart;
        bounds[at + 1] = nameEnd;
        bounds[at + 2] = valueStart;
        bounds[at + 3] = valueEnd;
    }

    // The byte-wise path: for lines that a read split, and for the bytes that break a rule.

    private int name(ByteBuffer in, int at, int stop) {
        int i = at;
        while (i < stop && HttpSyntax.isTchar(in.get(i))) {
            i++;
        }
        store(in, at, i);
        budget -= i - at;
        return i;
    }

    private int value(ByteBuffer in, int at, int stop) {
        int i = at;
        if (length == bounds[4 * fieldCount + 2]) {
            // RFC 9110 §5.5: whitespace before the value is not part of it (nor after it: see the CR below).
            while (i < stop && HttpSyntax.isOws(in.get(i))) {
                i++;
            }
        }
        int run = i;
        int lastVisible = -1;
        for (int kind; i < stop && (kind = VALUE_BYTE[in.get(i) & 0xFF]) != 0; i++) {
            lastVisible = kind == VISIBLE ? i : lastVisible;
        }
        if (lastVisible >= 0) {
            valueEnd = length + lastVisible + 1 - run;
        }
        store(in, run, i);
        budget -= i - at;
        return i;
    }

    private void oneByte(int b) {
        switch (phase) {
            case START_LINE -> {
                if (b == CR) {
                    phase = length == 0 && request && !skippedEmptyLine ? LEADING_LF : START_LINE_LF;
                } else if (b == LF) {
                    fail(400, "bare LF in the " + startLineName + "; lines end with CRLF (RFC 9112 §2.2)");
                } else {
                    fail(400, HttpSyntax.describeByte(b) + " in the " + startLineName + (length == 0 && request
                            ? " (is this HTTP? a TLS handshake sent to a plain port starts with 0x16)" : ""));
                }
            }
            case LEADING_LF -> {
                if (b == LF) {
                    skippedEmptyLine = true;
                    phase = START_LINE;
                } else {
                    failBareCr("before the request line");
                }
            }
            case START_LINE_LF -> {
                if (b != LF) {
                    failBareCr("in the " + startLineName);
                } else if (startLineReader.read(bytes, length)) {
                    length = 0;
                    phase = LINE_START;
                    inHeaderBlock = true;
                    budget = limits.maxHeaderBytes();
                }
            }
            case LINE_START -> lineStart(b);
            case NAME -> endOfName(b);
            case VALUE -> endOfValue(b);
            case VALUE_LF -> {
                if (b == LF) {
                    phase = LINE_START;
                } else {
                    failBareCr("at the end of header " + HttpSyntax.quote(fieldName(fieldCount - 1)));
                }
            }
            case END_LF -> {
                if (b == LF) {
                    finish();
                } else {
                    failBareCr("after the header fields");
                }
            }
            default -> throw new IllegalStateException("phase " + phase);
        }
    }

    private void lineStart(int b) {
        if (b == CR) {
            phase = END_LF;
        } else if (HttpSyntax.isTchar(b)) {
            if (fieldCount == limits.maxHeaderCount()) {
                fail(431, "more than " + limits.maxHeaderCount() + " header fields; send fewer, or raise "
                        + "HandshakeLimits.maxHeaderCount");
                return;
            }
            ensureFieldCapacity();
            bounds[4 * fieldCount] = length;
            append(b);
            phase = NAME;
        } else if (b == SP || b == HTAB) {
            fail(400, fieldCount == 0
                    ? "whitespace at the start of the first header line (RFC 9112 §2.2)"
                    : "header line starts with whitespace after header " + HttpSyntax.quote(fieldName(fieldCount - 1))
                            + ": line folding (obs-fold) is obsolete and refused (RFC 9112 §5.2)");
        } else if (b == LF) {
            fail(400, "bare LF after the header fields; lines end with CRLF (RFC 9112 §2.2)");
        } else {
            fail(400, "header line starts with " + HttpSyntax.describeByte(b)
                    + (b == ':' ? " (empty header name)" : ", which a header name cannot contain (RFC 9110 §5.1: a token)"));
        }
    }

    private void endOfName(int b) {
        if (b == ':') {
            bounds[4 * fieldCount + 1] = length;
            bounds[4 * fieldCount + 2] = length;
            valueEnd = length;
            phase = VALUE;
            return;
        }
        String name = new String(bytes, bounds[4 * fieldCount], length - bounds[4 * fieldCount], StandardCharsets.ISO_8859_1);
        if (b == SP || b == HTAB) {
            fail(400, "whitespace between header name " + HttpSyntax.quote(name)
                    + " and its colon (RFC 9112 §5.1 requires rejecting it)");
        } else if (b == CR || b == LF) {
            fail(400, "header line " + HttpSyntax.quote(name) + " has no colon");
        } else {
            fail(400, "header name " + HttpSyntax.quote(name) + " followed by " + HttpSyntax.describeByte(b)
                    + ", which a header name cannot contain (RFC 9110 §5.1: a token)");
        }
    }

    private void endOfValue(int b) {
        if (b == CR) {
            length = valueEnd;
            bounds[4 * fieldCount + 3] = valueEnd;
            fieldCount++;
            phase = VALUE_LF;
        } else {
            fail(400, (b == LF ? "bare LF" : b == 0 ? "NUL" : "control " + HttpSyntax.describeByte(b))
                    + " in the value of header " + fieldName(fieldCount)
                    + (b == LF ? "; lines end with CRLF (RFC 9112 §2.2)" : " (RFC 9110 §5.5)"));
        }
    }

    private void append(int b) {
        ensureCapacity(1);
        bytes[length++] = (byte) b;
    }

    /** Copies {@code in[from, to)} after the stored bytes. */
    private void store(ByteBuffer in, int from, int to) {
        int n = to - from;
        ensureCapacity(n);
        if (in.hasArray()) {
            System.arraycopy(in.array(), in.arrayOffset() + from, bytes, length, n); // cheaper for short runs
        } else {
            in.get(from, bytes, length, n);
        }
        length += n;
    }

    private void ensureCapacity(int more) {
        if (bytes.length - length < more) {
            // Never past the cap: a section stores at most the bytes it consumed, and its budget bounds those.
            int cap = Math.max(limits.maxStartLineBytes(), limits.maxHeaderBytes());
            bytes = Arrays.copyOf(bytes, Math.min(cap, Math.max(length + more, Math.max(firstCapacity, 2 * length))));
        }
    }

    private void ensureFieldCapacity() {
        if (bounds.length < 4 * fieldCount + 4) {
            int fields = Math.min(Math.max(INITIAL_FIELDS, fieldCount * 2), limits.maxHeaderCount());
            bounds = Arrays.copyOf(bounds, 4 * fields);
        }
    }

    private void exceeded() {
        if (inHeaderBlock) {
            fail(431, "header fields larger than " + limits.maxHeaderBytes() + " bytes; send fewer or smaller "
                    + "headers (large cookies?), or raise HandshakeLimits.maxHeaderBytes");
        } else if (!request) {
            fail(400, "status line longer than " + limits.maxStartLineBytes() + " bytes; raise "
                    + "HandshakeLimits.maxStartLineBytes if the server really sends one");
        } else if (indexOf(bytes, 0, length, SP) > 0) {
            // RFC 9112 §3: "A server that receives a request-target longer than any URI it wishes to parse MUST
            // respond with a 414 (URI Too Long) status code."
            fail(414, "request line longer than " + limits.maxStartLineBytes() + " bytes; use a shorter URI, "
                    + "or raise HandshakeLimits.maxStartLineBytes");
        } else {
            fail(400, "no request line in the first " + limits.maxStartLineBytes() + " bytes (is this HTTP?)");
        }
    }

    private void failBareCr(String where) {
        fail(400, "bare CR " + where + "; lines end with CRLF (RFC 9112 §2.2)");
    }

    void fail(int status, String reason) {
        state = ParserState.FAILED;
        failureStatus = status;
        failureReason = reason;
        bytes = null;
        bounds = null;
    }

    private void finish() {
        // Headers makes strings on demand (most fields are never read), from arrays cut to size: a session keeps
        // its handshake request as long as it lives, and the arrays grew by doubling.
        headers = new Headers(Arrays.copyOf(bytes, length), Arrays.copyOf(bounds, 4 * fieldCount), fieldCount);
        state = ParserState.DONE;
        bytes = null;
        bounds = null;
    }

    private String fieldName(int field) {
        int start = bounds[4 * field];
        return new String(bytes, start, bounds[4 * field + 1] - start, StandardCharsets.ISO_8859_1);
    }

    static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
