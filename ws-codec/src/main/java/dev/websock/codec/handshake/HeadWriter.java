package dev.websock.codec.handshake;

import java.util.Arrays;

/**
 * Writes an HTTP/1.1 head into a byte array. Strings go out one byte per char (ISO-8859-1): every caller
 * has checked that they hold nothing above U+00FF and no CR or LF.
 */
final class HeadWriter {

    private byte[] bytes;
    private int length;

    /** A writer whose array is {@code capacity} bytes: with the exact size, {@link #toByteArray} copies nothing. */
    HeadWriter(int capacity) {
        this.bytes = new byte[capacity];
    }

    HeadWriter text(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    HeadWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    HeadWriter crlf() {
        ensure(2);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
        return this;
    }

    HeadWriter header(String name, String value) {
        return text(name).text(": ").text(value).crlf();
    }

    HeadWriter headers(Headers headers) {
        for (int i = 0; i < headers.size(); i++) {
            header(headers.name(i), headers.value(i));
        }
        return this;
    }

    /** How many bytes {@code headers} take when written. */
    static int size(Headers headers) {
        int size = 0;
        for (int i = 0; i < headers.size(); i++) {
            size += headers.name(i).length() + headers.value(i).length() + 4;
        }
        return size;
    }

    byte[] toByteArray() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        if (bytes.length - length < more) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
