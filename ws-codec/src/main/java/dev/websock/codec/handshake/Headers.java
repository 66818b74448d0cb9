package dev.websock.codec.handshake;

import dev.websock.codec.http.HttpSyntax;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * HTTP header fields in the order they came, repeats included (RFC 9110 §5.2-§5.3). Names compare
 * case-insensitively (§5.1); values are kept as sent, less the whitespace around them (§5.5).
 *
 * <p>Values are bytes, not text: each byte becomes the {@code char} of the same number (ISO-8859-1), so
 * nothing is lost and nothing is guessed. RFC 9110 §5.5 gives non-ASCII bytes (obs-text) no meaning; a
 * value that is UTF-8 by private agreement (a cookie, say) is {@code value.getBytes(ISO_8859_1)} decoded as
 * UTF-8 by whoever agreed to it.
 *
 * <p>Immutable and thread-safe. The fields stay in the bytes they arrived in: a name or value becomes a
 * string only when asked for, so a handshake that reads five of fifteen fields builds five strings. Lookups
 * scan the fields (a handshake has a dozen or two).
 */
public final class Headers {

    /** No fields. */
    public static final Headers EMPTY = new Headers(new byte[0], new int[0], 0);

    /** Names and values back to back, one byte per char. */
    private final byte[] bytes;
    /** Per field: where its name starts and ends, and where its value starts and ends. */
    private final int[] bounds;
    private final int size;

    /** Trusted: the parser has checked every name and value, and hands over arrays it no longer touches. */
    Headers(byte[] bytes, int[] bounds, int size) {
        this.bytes = bytes;
        this.bounds = bounds;
        this.size = size;
    }

    /**
     * Fields to send, as name, value, name, value...: for example
     * {@code Headers.of("Origin", "https://example.com")}.
     *
     * @throws IllegalArgumentException when a name is not a token (RFC 9110 §5.1), or a value holds a
     *     control character, a character above U+00FF or whitespace at either end: anything that would
     *     split a header line or change meaning on the way
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Headers.of takes name, value pairs; got " + namesAndValues.length
                    + " strings");
        }
        int size = namesAndValues.length / 2;
        int length = 0;
        for (int i = 0; i < size; i++) {
            String name = Objects.requireNonNull(namesAndValues[2 * i], "header name");
            String value = Objects.requireNonNull(namesAndValues[2 * i + 1], () -> "value of header " + name);
            if (!HttpSyntax.isToken(name)) {
                throw new IllegalArgumentException("header name " + HttpSyntax.quote(name)
                        + " is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~ only)");
            }
            String problem = HttpSyntax.fieldValueProblem(value);
            if (problem != null) {
                throw new IllegalArgumentException("value of header " + name + " has " + problem);
            }
            length += name.length() + value.length();
        }
        byte[] bytes = new byte[length];
        int[] bounds = new int[4 * size];
        int at = 0;
        for (int i = 0; i < 2 * size; i++) {
            String s = namesAndValues[i];
            bounds[2 * i] = at;
            for (int j = 0; j < s.length(); j++) {
                bytes[at++] = (byte) s.charAt(j); // checked above: nothing above U+00FF
            }
            bounds[2 * i + 1] = at;
        }
        return new Headers(bytes, bounds, size);
    }

    /** The number of fields, repeats counted. */
    public int size() {
        return size;
    }

    /** The name of field {@code index}, as sent. */
    public String name(int index) {
        Objects.checkIndex(index, size);
        return string(bounds[4 * index], bounds[4 * index + 1]);
    }

    /** The value of field {@code index}. */
    public String value(int index) {
        Objects.checkIndex(index, size);
        return string(bounds[4 * index + 2], bounds[4 * index + 3]);
    }

    /** Whether a field named {@code name} (any case) is present. */
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** How many fields are named {@code name} (any case). */
    public int count(String name) {
        int count = 0;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            count++;
        }
        return count;
    }

    /** The value of the first field named {@code name} (any case), or null when there is none. */
    public String first(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : value(i);
    }

    /** The values of every field named {@code name} (any case), in order; empty when there is none. */
    public List<String> all(String name) {
        List<String> all = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            all.add(value(i));
        }
        return List.copyOf(all);
    }

    /**
     * The elements of a comma-separated list field (RFC 9110 §5.6.1), across all fields named {@code name}
     * ("a recipient MAY combine multiple field lines ... by appending each subsequent field line value,
     * separated by a comma", §5.3): each element trimmed, case preserved, empty elements skipped. Commas
     * inside a quoted-string do not split.
     */
    public List<String> tokens(String name) {
        List<String> tokens = new ArrayList<>(4);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            int end = bounds[4 * i + 3];
            for (int from = bounds[4 * i + 2]; from <= end; ) {
                int elementEnd = HttpSyntax.listElementEnd(bytes, from, end);
                int start = HttpSyntax.skipOws(bytes, from, elementEnd);
                int stop = HttpSyntax.trimOws(bytes, start, elementEnd);
                if (stop > start) {
                    tokens.add(string(start, stop));
                }
                from = elementEnd + 1;
            }
        }
        return List.copyOf(tokens);
    }

    /**
     * Whether any element of the list fields named {@code name} equals {@code token}, ignoring ASCII case, as
     * {@code Connection} and {@code Upgrade} tokens compare (RFC 9110 §7.6.1, §7.8). Empty elements match
     * nothing, as {@link #tokens} skips them. Allocates nothing.
     */
    public boolean hasToken(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            int end = bounds[4 * i + 3];
            for (int from = bounds[4 * i + 2]; from <= end; ) {
                int elementEnd = HttpSyntax.listElementEnd(bytes, from, end);
                int start = HttpSyntax.skipOws(bytes, from, elementEnd);
                int stop = HttpSyntax.trimOws(bytes, start, elementEnd);
                if (stop > start && equalsIgnoreCase(start, stop, token)) {
                    return true;
                }
                from = elementEnd + 1;
            }
        }
        return false;
    }

    /** The index of the first field named {@code name} (any case) at or after {@code from}, or -1. */
    int indexOf(String name, int from) {
        for (int i = from; i < size; i++) {
            if (equalsIgnoreCase(bounds[4 * i], bounds[4 * i + 1], name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code bytes[from, to)} is {@code s}, ignoring ASCII case (RFC 9110 §5.1 for names). */
    private boolean equalsIgnoreCase(int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            int a = bytes[from + i] & 0xFF;
            int b = s.charAt(i);
            if (a != b && !(isAsciiLetter(a) && (a | 0x20) == (b | 0x20))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(int c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    private String string(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Equal when both hold the same fields in the same order, names compared ignoring case. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Headers that) || that.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!that.equalsIgnoreCase(that.bounds[4 * i], that.bounds[4 * i + 1], name(i)) || !value(i).equals(that.value(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < size; i++) {
            for (int k = bounds[4 * i]; k < bounds[4 * i + 1]; k++) {
                int c = bytes[k] & 0xFF;
                hash = 31 * hash + (isAsciiLetter(c) ? c | 0x20 : c);
            }
            hash = 31 * hash + value(i).hashCode();
        }
        return hash;
    }

    /** The fields one per line, for logs: each value quoted, escaped and cut at 64 characters. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < size; i++) {
            out.append(name(i)).append(": ").append(HttpSyntax.quote(value(i))).append('\n');
        }
        return out.toString();
    }
}
