package dev.websock.server.session;

import java.nio.ByteBuffer;

/**
 * Encodes text to UTF-8 straight into a frame buffer, without the intermediate {@code byte[]} of
 * {@link String#getBytes}. An unpaired surrogate becomes {@code ?}, as {@code String.getBytes(UTF_8)} does, so
 * that what is sent is always valid UTF-8 (RFC 6455 §5.6: text frames carry UTF-8; a peer fails us with 1007
 * otherwise).
 */
final class Utf8Encoder {

    private Utf8Encoder() {
    }

    /** How many bytes {@link #encode} writes for {@code text}. */
    static long encodedLength(CharSequence text) {
        long length = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length += 1; // '?'
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** Writes {@code text} as UTF-8 at {@code out}'s position; {@code out} must have room. */
    static void encode(CharSequence text, ByteBuffer out) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | c >> 6)).put((byte) (0x80 | c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                out.put((byte) (0xF0 | cp >> 18)).put((byte) (0x80 | cp >> 12 & 0x3F))
                        .put((byte) (0x80 | cp >> 6 & 0x3F)).put((byte) (0x80 | cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out.put((byte) '?');
            } else {
                out.put((byte) (0xE0 | c >> 12)).put((byte) (0x80 | c >> 6 & 0x3F)).put((byte) (0x80 | c & 0x3F));
            }
        }
    }
}
