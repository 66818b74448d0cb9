package dev.websock.utf8;

/**
 * The reference the tests judge the library by: a plain decoder written straight from the syntax of
 * RFC 3629 §4, with no automaton, no byte classes and no shortcuts.
 *
 * <pre>
 * UTF8-1 = %x00-7F
 * UTF8-2 = %xC2-DF UTF8-tail
 * UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) / %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
 * UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) / %xF4 %x80-8F 2( UTF8-tail )
 * UTF8-tail = %x80-BF
 * </pre>
 */
public final class Rfc3629 {

    private Rfc3629() {}

    /** One row of the table: lead byte range, sequence length, allowed range of the second byte. */
    private record Row(int leadLo, int leadHi, int length, int secondLo, int secondHi) {}

    private static final Row[] TABLE = {
        new Row(0x00, 0x7F, 1, 0, 0),
        new Row(0xC2, 0xDF, 2, 0x80, 0xBF),
        new Row(0xE0, 0xE0, 3, 0xA0, 0xBF),
        new Row(0xE1, 0xEC, 3, 0x80, 0xBF),
        new Row(0xED, 0xED, 3, 0x80, 0x9F),
        new Row(0xEE, 0xEF, 3, 0x80, 0xBF),
        new Row(0xF0, 0xF0, 4, 0x90, 0xBF),
        new Row(0xF1, 0xF3, 4, 0x80, 0xBF),
        new Row(0xF4, 0xF4, 4, 0x80, 0x8F),
    };

    /** The row of each byte value as a lead (null: cannot start a sequence), looked up once from the table. */
    private static final Row[] ROW_OF = new Row[256];

    static {
        for (int lead = 0; lead < 256; lead++) {
            for (Row row : TABLE) {
                if (lead >= row.leadLo && lead <= row.leadHi) {
                    ROW_OF[lead] = row;
                }
            }
        }
    }

    /** The row for a lead byte, or null when the byte cannot start a sequence. */
    private static Row rowOf(int lead) {
        return ROW_OF[lead];
    }

    private static long pack(int sequenceStart, int firstInvalid) {
        return (long) sequenceStart << 32 | (firstInvalid & 0xFFFF_FFFFL);
    }

    /**
     * Decodes {@code a[from, to)}: {@code -1} in both halves when valid; else the low half is the first byte at
     * which the bytes so far can no longer start valid UTF-8 ({@code to} when the region ends inside a
     * sequence) and the high half is the start of the sequence that byte belongs to.
     */
    static long decode(byte[] a, int from, int to) {
        int i = from;
        while (i < to) {
            Row row = rowOf(a[i] & 0xFF);
            if (row == null) {
                return pack(i, i);
            }
            for (int k = 1; k < row.length; k++) {
                if (i + k == to) {
                    return pack(i, to);
                }
                int b = a[i + k] & 0xFF;
                boolean allowed = k == 1 ? b >= row.secondLo && b <= row.secondHi : b >= 0x80 && b <= 0xBF;
                if (!allowed) {
                    return pack(i, i + k);
                }
            }
            i += row.length;
        }
        return pack(-1, -1);
    }

    /** -1 when {@code a[from, to)} is valid UTF-8, else the fail-fast index ({@code to} for a truncated end). */
    public static int firstInvalid(byte[] a, int from, int to) {
        return (int) decode(a, from, to);
    }

    public static int firstInvalid(byte[] a) {
        return firstInvalid(a, 0, a.length);
    }

    /** The start of the sequence that the first invalid byte belongs to; -1 when valid. */
    public static int sequenceStart(byte[] a, int from, int to) {
        return (int) (decode(a, from, to) >> 32);
    }

    /**
     * The start of the sequence that the byte at {@code index} belongs to, given that {@code a[from, index)} is a
     * valid prefix: {@code index} itself when that prefix ends between code points, else the lead of the
     * sequence left open. Maps a fail-fast index to the position the JDK's decoder reports.
     */
    public static int sequenceStartOf(byte[] a, int from, int index) {
        int i = from;
        while (i < index) {
            Row row = rowOf(a[i] & 0xFF);
            if (row == null) {
                throw new IllegalArgumentException("a[" + from + ", " + index + ") is not a valid prefix at " + i);
            }
            if (i + row.length > index) {
                return i;
            }
            i += row.length;
        }
        return index;
    }

    /** Number of bytes of the code point that starts with {@code lead}, or 0 when it cannot start one. */
    public static int sequenceLength(int lead) {
        Row row = rowOf(lead & 0xFF);
        return row == null ? 0 : row.length;
    }

    /** Bytes from a string of hex pairs, spaces ignored: {@code "E0 A0 80"}. */
    public static byte[] hex(String pairs) {
        String digits = pairs.replace(" ", "");
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits, 2 * i, 2 * i + 2, 16);
        }
        return bytes;
    }

    /** Hex pairs of {@code a[from, to)}, for failure messages. */
    public static String hex(byte[] a, int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(i > from ? " " : "").append(String.format("%02X", a[i] & 0xFF));
        }
        return text.toString();
    }

    public static String hex(byte[] a) {
        return hex(a, 0, a.length);
    }
}
