package dev.websock.conformance.wire;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Small byte helpers for building payloads and showing them in logs and reports. */
public final class Bytes {

    private Bytes() {}

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Parses hex such as {@code "cebae1bdb9"}; the UTF-8 vectors are written that way. */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    public static String toHex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public static byte[] repeat(int value, int length) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    /** {@code pattern} repeated to exactly {@code length} bytes. */
    public static byte[] repeat(byte[] pattern, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = pattern[i % pattern.length];
        }
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * At most {@code max} bytes for a log line: printable ASCII as text in quotes, anything else as hex, and
     * the length of what was left out.
     */
    public static String preview(byte[] bytes, int max) {
        int n = Math.min(bytes.length, max);
        boolean printable = true;
        for (int i = 0; i < n; i++) {
            int c = bytes[i] & 0xff;
            if (c < 0x20 || c > 0x7e) {
                printable = false;
                break;
            }
        }
        String shown = printable
                ? '"' + new String(bytes, 0, n, StandardCharsets.US_ASCII) + '"'
                : "0x" + HexFormat.of().formatHex(bytes, 0, n);
        return n < bytes.length ? shown + " ... (" + (bytes.length - n) + " more)" : shown;
    }
}
