package dev.websock.server.session;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text messages to and from {@code String}s through the JDK's fastest paths, with per-thread scratch arrays so that
 * the only allocation is the {@code String} the API itself hands over.
 *
 * <p>Why not decode straight from the frame's direct buffer or encode straight into one: the JDK's UTF-8 coders
 * take their vectorised ASCII fast paths only between arrays; over a direct buffer they go byte by byte, which
 * made a 1 KiB text echo cost five times a binary one. A copy between a direct buffer and an array is a
 * {@code memcpy}, far cheaper than that.
 *
 * <p>An unpaired surrogate is encoded as {@code ?}, as {@code String.getBytes(UTF_8)} does, so that what is sent is
 * always valid UTF-8 (RFC 6455 §5.6: text frames carry UTF-8; a peer fails us with 1007 otherwise). Texts longer
 * than {@link #CACHED} characters are encoded piece by piece, and longer received ones decoded from an array of
 * their own, so that one huge message leaves no huge array behind on a thread. Virtual threads keep no scratch
 * (the virtual-thread transport gives each connection a thread of its own, so a per-thread scratch there would be
 * a per-connection one): they encode into, and decode from, arrays of their own.
 */
final class TextCodec {
    /** The largest scratch array kept per thread, in bytes or chars. */
    static final int CACHED = 64 * 1024;

    private static final ThreadLocal<TextCodec> PER_THREAD = new ThreadLocal<>();

    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final byte[] bytes = new byte[3 * CACHED];
    private final char[] chars = new char[CACHED];
    private final ByteBuffer byteView = ByteBuffer.wrap(bytes);
    private final CharBuffer charView = CharBuffer.wrap(chars);

    private TextCodec() {
    }

    /**
     * The UTF-8 bytes between {@code utf8}'s position and limit as a {@code String}; the position moves to the
     * limit. The bytes are valid UTF-8: the decoder checked them as they arrived.
     */
    static String decode(ByteBuffer utf8) {
        int length = utf8.remaining();
        String text;
        if (utf8.hasArray()) {
            text = new String(utf8.array(), utf8.arrayOffset() + utf8.position(), length, StandardCharsets.UTF_8);
        } else {
            byte[] array = length <= CACHED && !Thread.currentThread().isVirtual() ? scratch().bytes : new byte[length];
            utf8.get(utf8.position(), array, 0, length);
            text = new String(array, 0, length, StandardCharsets.UTF_8);
        }
        utf8.position(utf8.limit());
        return text;
    }

    /**
     * {@code text} as UTF-8, in a heap buffer from position 0 to its length: this thread's scratch, valid until
     * the thread's next call, so copy it out before then. At most {@link #CACHED} characters; longer texts go
     * piece by piece ({@link #pieceEnd}, {@link #encode(CharSequence, int, int)}).
     */
    static ByteBuffer encode(CharSequence text) {
        return encode(text, 0, text.length());
    }

    /** {@code text[start, end)} as UTF-8, as {@link #encode(CharSequence)}; at most {@link #CACHED} characters. */
    static ByteBuffer encode(CharSequence text, int start, int end) {
        if (end - start > CACHED) {
            throw new IllegalArgumentException((end - start) + " characters do not fit the scratch of " + CACHED);
        }
        if (Thread.currentThread().isVirtual()) {
            // A virtual thread may be a connection's own (the virtual-thread transport), living as long as it: a
            // scratch kept there would be 320 KB per connection. getBytes also makes unpaired surrogates '?'.
            return ByteBuffer.wrap(text.subSequence(start, end).toString().getBytes(StandardCharsets.UTF_8));
        }
        return scratch().encodeInScratch(text, start, end);
    }

    /**
     * Where the piece of a long text that starts at {@code start} ends: at most {@link #CACHED} characters on, and
     * never between the two halves of a surrogate pair, which must be encoded together.
     */
    static int pieceEnd(CharSequence text, int start) {
        int end = Math.min(text.length(), start + CACHED);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /** This thread's scratch, made on first use. */
    private static TextCodec scratch() {
        TextCodec codec = PER_THREAD.get();
        if (codec == null) {
            codec = new TextCodec();
            PER_THREAD.set(codec);
        }
        return codec;
    }

    /** Whether this thread holds a scratch (for tests). */
    static boolean holdsScratch() {
        return PER_THREAD.get() != null;
    }

    private ByteBuffer encodeInScratch(CharSequence text, int start, int end) {
        int length = end - start;
        if (text instanceof String string) {
            string.getChars(start, end, chars, 0);
        } else {
            for (int i = 0; i < length; i++) {
                chars[i] = text.charAt(start + i);
            }
        }
        CharBuffer in = charView.clear().limit(length);
        ByteBuffer out = byteView.clear();
        encoder.reset();
        // Three bytes per char at most (a surrogate pair is two chars and four bytes): the scratch never overflows.
        encoder.encode(in, out, true);
        encoder.flush(out);
        return out.flip();
    }
}
