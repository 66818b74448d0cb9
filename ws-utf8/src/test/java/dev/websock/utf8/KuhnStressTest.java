package dev.websock.utf8;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.utf8.kernel.KernelProbe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The categories of Markus Kuhn's UTF-8 decoder capability and stress test (UTF-8-test.txt), judged by RFC 3629:
 * each vector names its section and carries its expected first-invalid index, written out by hand
 * ({@code -1}: valid; the length of the vector: valid so far but it ends inside a code point).
 */
class KuhnStressTest {

    static final int VALID = -1;

    private static Arguments vector(String name, String hex, int expected) {
        return Arguments.of(name, hex, expected);
    }

    static Stream<Arguments> vectors() {
        List<Arguments> v = new ArrayList<>(List.of(
                vector("1 kosme (Greek)", "CE BA E1 BD B9 CF 83 CE BC CE B5", VALID),

                vector("2.1.1 first 1-byte U+0000", "00", VALID),
                vector("2.1.2 first 2-byte U+0080", "C2 80", VALID),
                vector("2.1.3 first 3-byte U+0800", "E0 A0 80", VALID),
                vector("2.1.4 first 4-byte U+10000", "F0 90 80 80", VALID),
                vector("2.1.5 first 5-byte U+200000", "F8 88 80 80 80", 0),
                vector("2.1.6 first 6-byte U+4000000", "FC 84 80 80 80 80", 0),

                vector("2.2.1 last 1-byte U+007F", "7F", VALID),
                vector("2.2.2 last 2-byte U+07FF", "DF BF", VALID),
                vector("2.2.3 last 3-byte U+FFFF", "EF BF BF", VALID),
                vector("2.2.4 last 4-byte form U+1FFFFF", "F7 BF BF BF", 0),
                vector("2.2.5 last 5-byte U+3FFFFFF", "FB BF BF BF BF", 0),
                vector("2.2.6 last 6-byte U+7FFFFFFF", "FD BF BF BF BF BF", 0),

                vector("2.3.1 U+D7FF before the surrogates", "ED 9F BF", VALID),
                vector("2.3.2 U+E000 after the surrogates", "EE 80 80", VALID),
                vector("2.3.3 U+FFFD", "EF BF BD", VALID),
                vector("2.3.4 U+10FFFF last code point", "F4 8F BF BF", VALID),
                vector("2.3.5 U+110000 first beyond Unicode", "F4 90 80 80", 1),
                vector("2.3.6 U+13FFFF F4 BF", "F4 BF BF BF", 1),
                vector("2.3.7 U+140000 lead F5", "F5 80 80 80", 0),

                vector("3.1.1 first continuation byte", "80", 0),
                vector("3.1.2 last continuation byte", "BF", 0),
                vector("3.1.3 2 continuation bytes", "80 BF", 0),
                vector("3.1.4 3 continuation bytes", "80 BF 80", 0),
                vector("3.1.5 4 continuation bytes", "80 BF 80 BF", 0),
                vector("3.1.6 5 continuation bytes", "80 BF 80 BF 80", 0),
                vector("3.1.7 6 continuation bytes", "80 BF 80 BF 80 BF", 0),
                vector("3.1.8 7 continuation bytes", "80 BF 80 BF 80 BF 80", 0),
                vector("3.1.10 continuation after ASCII", "61 80", 1),
                vector("3.1.11 extra continuation after 2-byte", "C2 80 80", 2),
                vector("3.1.12 extra continuation after 3-byte", "E2 82 AC 80", 3),
                vector("3.1.13 extra continuation after 4-byte", "F0 9F 98 80 80", 4),

                vector("3.2.1 all 2-byte leads each followed by a space", lonelyStarts(0xC0, 0xDF), 0),
                vector("3.2.1 2-byte leads C2..DF each followed by a space", lonelyStarts(0xC2, 0xDF), 1),
                vector("3.2.2 all 3-byte leads each followed by a space", lonelyStarts(0xE0, 0xEF), 1),
                vector("3.2.3 all 4-byte form leads each followed by a space", lonelyStarts(0xF0, 0xF7), 1),
                vector("3.2.4 all 5-byte leads each followed by a space", lonelyStarts(0xF8, 0xFB), 0),
                vector("3.2.5 all 6-byte leads each followed by a space", lonelyStarts(0xFC, 0xFD), 0),

                vector("3.3.1 2-byte U+0000 missing last byte", "C0", 0),
                vector("3.3.2 3-byte U+0000 missing last byte", "E0 80", 1),
                vector("3.3.3 4-byte U+0000 missing last byte", "F0 80 80", 1),
                vector("3.3.4 5-byte U+0000 missing last byte", "F8 80 80 80", 0),
                vector("3.3.5 6-byte U+0000 missing last byte", "FC 80 80 80 80", 0),
                vector("3.3.6 2-byte U+07FF missing last byte", "DF", 1),
                vector("3.3.7 3-byte U+FFFF missing last byte", "EF BF", 2),
                vector("3.3.8 4-byte U+1FFFFF missing last byte", "F7 BF BF", 0),
                vector("3.3.9 5-byte U+3FFFFFF missing last byte", "FB BF BF BF", 0),
                vector("3.3.10 6-byte U+7FFFFFFF missing last byte", "FD BF BF BF BF", 0),
                vector("3.3.11 U+0080 missing last byte", "C2", 1),
                vector("3.3.12 U+0800 missing last byte", "E0 A0", 2),
                vector("3.3.13 U+D7FF missing last byte", "ED 9F", 2),
                vector("3.3.14 U+10000 missing last byte", "F0 90 80", 3),
                vector("3.3.15 U+10FFFF missing last byte", "F4 8F BF", 3),
                vector("3.3.16 U+1000 missing two bytes", "E1", 1),
                vector("3.3.17 U+40000 missing two bytes", "F1 80", 2),
                vector("3.3.18 U+40000 missing three bytes", "F1", 1),
                vector("3.3.19 U+0080 missing last byte, then ASCII", "C2 41", 1),
                vector("3.3.20 U+0800 missing last byte, then ASCII", "E0 A0 41", 2),
                vector("3.3.21 U+10000 missing last byte, then ASCII", "F0 90 80 41", 3),
                vector("3.3.22 U+20AC missing last byte, then a lead", "E2 82 E2 82 AC", 2),

                vector("3.4.1 concatenation of the 3.3 sequences",
                        "C0 E0 80 F0 80 80 F8 80 80 80 FC 80 80 80 80 DF EF BF F7 BF BF FB BF BF BF FD BF BF BF BF", 0),
                vector("3.4.2 concatenation of truncated RFC 3629 sequences", "C2 E0 A0 F0 90 80", 1),
                vector("3.4.3 concatenation of truncated sequences after text", "61 62 E0 A0 C2 F0 90 80", 4),

                vector("3.5.1 impossible byte FE", "FE", 0),
                vector("3.5.2 impossible byte FF", "FF", 0),
                vector("3.5.3 impossible bytes FE FE FF FF", "FE FE FF FF", 0),
                vector("3.5.4 impossible byte after text", "61 FF 61", 1),

                vector("4.1.1 overlong '/' in 2 bytes", "C0 AF", 0),
                vector("4.1.2 overlong '/' in 3 bytes", "E0 80 AF", 1),
                vector("4.1.3 overlong '/' in 4 bytes", "F0 80 80 AF", 1),
                vector("4.1.4 overlong '/' in 5 bytes", "F8 80 80 80 AF", 0),
                vector("4.1.5 overlong '/' in 6 bytes", "FC 80 80 80 80 AF", 0),

                vector("4.2.1 maximum overlong U+007F in 2 bytes", "C1 BF", 0),
                vector("4.2.2 maximum overlong U+07FF in 3 bytes", "E0 9F BF", 1),
                vector("4.2.3 maximum overlong U+FFFF in 4 bytes", "F0 8F BF BF", 1),
                vector("4.2.4 maximum overlong U+1FFFFF in 5 bytes", "F8 87 BF BF BF", 0),
                vector("4.2.5 maximum overlong U+3FFFFFF in 6 bytes", "FC 83 BF BF BF BF", 0),

                vector("4.3.1 overlong NUL in 2 bytes", "C0 80", 0),
                vector("4.3.2 overlong NUL in 3 bytes", "E0 80 80", 1),
                vector("4.3.3 overlong NUL in 4 bytes", "F0 80 80 80", 1),
                vector("4.3.4 overlong NUL in 5 bytes", "F8 80 80 80 80", 0),
                vector("4.3.5 overlong NUL in 6 bytes", "FC 80 80 80 80 80", 0),

                vector("5.1.1 single surrogate U+D800", "ED A0 80", 1),
                vector("5.1.2 single surrogate U+DB7F", "ED AD BF", 1),
                vector("5.1.3 single surrogate U+DB80", "ED AE 80", 1),
                vector("5.1.4 single surrogate U+DBFF", "ED AF BF", 1),
                vector("5.1.5 single surrogate U+DC00", "ED B0 80", 1),
                vector("5.1.6 single surrogate U+DF80", "ED BE 80", 1),
                vector("5.1.7 single surrogate U+DFFF", "ED BF BF", 1),
                vector("5.1.8 single surrogate after text", "61 62 63 ED B0 80", 4),

                vector("5.2.1 paired surrogates U+D800 U+DC00", "ED A0 80 ED B0 80", 1),
                vector("5.2.2 paired surrogates U+D800 U+DFFF", "ED A0 80 ED BF BF", 1),
                vector("5.2.3 paired surrogates U+DB7F U+DC00", "ED AD BF ED B0 80", 1),
                vector("5.2.4 paired surrogates U+DB7F U+DFFF", "ED AD BF ED BF BF", 1),
                vector("5.2.5 paired surrogates U+DB80 U+DC00", "ED AE 80 ED B0 80", 1),
                vector("5.2.6 paired surrogates U+DB80 U+DFFF", "ED AE 80 ED BF BF", 1),
                vector("5.2.7 paired surrogates U+DBFF U+DC00", "ED AF BF ED B0 80", 1),
                vector("5.2.8 paired surrogates U+DBFF U+DFFF", "ED AF BF ED BF BF", 1),

                vector("5.3.1 noncharacter U+FFFE", "EF BF BE", VALID),
                vector("5.3.2 noncharacter U+FFFF", "EF BF BF", VALID),
                vector("5.3.3 noncharacters U+FDD0..U+FDEF", fdd0ToFdef(), VALID),
                vector("5.3.4 noncharacters U+nFFFE U+nFFFF of planes 1..16", planeNoncharacters(), VALID)));

        for (int b = 0x80; b <= 0xBF; b++) {
            v.add(vector(String.format("3.1.9 lone continuation byte %02X", b), String.format("%02X", b), 0));
        }
        StringBuilder allContinuations = new StringBuilder();
        for (int b = 0x80; b <= 0xBF; b++) {
            allContinuations.append(String.format("%02X ", b));
        }
        v.add(vector("3.1.9 all 64 continuation bytes", allContinuations.toString(), 0));
        for (int lead = 0xC0; lead <= 0xFD; lead++) {
            // A lead that can start a sequence fails at the space; C0, C1 and F5 on fail at once.
            int expected = lead == 0xC0 || lead == 0xC1 || lead >= 0xF5 ? 0 : 1;
            v.add(vector(String.format("3.2 lonely start byte %02X followed by a space", lead),
                    String.format("%02X 20", lead), expected));
        }
        return v.stream();
    }

    private static String lonelyStarts(int first, int last) {
        StringBuilder hex = new StringBuilder();
        for (int b = first; b <= last; b++) {
            hex.append(String.format("%02X 20 ", b));
        }
        return hex.toString();
    }

    private static String fdd0ToFdef() {
        StringBuilder hex = new StringBuilder();
        for (int low = 0x90; low <= 0xAF; low++) {
            hex.append(String.format("EF B7 %02X ", low));
        }
        return hex.toString();
    }

    private static String planeNoncharacters() {
        StringBuilder hex = new StringBuilder();
        for (int plane = 1; plane <= 16; plane++) {
            for (int last : new int[] {0xFFFE, 0xFFFF}) {
                for (byte b : new String(Character.toChars(plane << 16 | last)).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)) {
                    hex.append(String.format("%02X ", b & 0xFF));
                }
            }
        }
        return hex.toString();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("vectors")
    void oneShotReportsTheFirstInvalidIndex(String name, String hex, int expected) {
        byte[] bytes = Rfc3629.hex(hex);
        assertEquals(expected, Rfc3629.firstInvalid(bytes), "the reference decoder");
        assertEquals(expected, Utf8.firstInvalid(bytes, 0, bytes.length));
        assertEquals(expected < 0, Utf8.isValid(bytes, 0, bytes.length));
        assertEquals(expected, KernelProbe.scalarFirstInvalid(bytes, 0, bytes.length), "scalar kernel");
        assertEquals(expected, KernelProbe.vectorFirstInvalid(bytes, 0, bytes.length), "vector kernel");
        assertAbsoluteIndicesInEveryContainer(bytes, expected);
    }

    private static void assertAbsoluteIndicesInEveryContainer(byte[] bytes, int expected) {
        int offset = 7;
        byte[] padded = new byte[offset + bytes.length + 3];
        Arrays.fill(padded, (byte) 0x80);
        System.arraycopy(bytes, 0, padded, offset, bytes.length);
        int at = expected < 0 ? -1 : offset + expected;
        int to = offset + bytes.length;

        ByteBuffer heap = ByteBuffer.wrap(padded);
        ByteBuffer heapSlice = ByteBuffer.wrap(padded, 2, padded.length - 2).slice(); // arrayOffset 2
        ByteBuffer direct = ByteBuffer.allocateDirect(padded.length).put(padded).position(1).limit(to);
        ByteBuffer readOnly = heap.asReadOnlyBuffer();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeSegment = arena.allocate(padded.length);
            nativeSegment.copyFrom(MemorySegment.ofArray(padded));
            assertAll(
                    () -> assertEquals(at, Utf8.firstInvalid(padded, offset, to), "byte[]"),
                    () -> assertEquals(at, Utf8.firstInvalid(heap, offset, to), "heap buffer"),
                    () -> assertEquals(expected < 0 ? -1 : at - 2, Utf8.firstInvalid(heapSlice, offset - 2, to - 2),
                            "heap buffer slice"),
                    () -> assertEquals(at, Utf8.firstInvalid(direct, offset, to), "direct buffer"),
                    () -> assertEquals(at, Utf8.firstInvalid(readOnly, offset, to), "read-only buffer"),
                    () -> assertEquals(at, Utf8.firstInvalid(nativeSegment, offset, to), "native segment"),
                    () -> assertEquals(expected < 0, Utf8.isValid(direct, offset, to), "isValid direct"),
                    () -> assertEquals(expected < 0, Utf8.isValid(nativeSegment, offset, to), "isValid segment"));
            assertEquals(1, direct.position(), "position untouched");
            assertEquals(to, direct.limit(), "limit untouched");
        }
    }

    /** Embedded after ASCII runs that put it at the start, inside, across and after the vector kernel's blocks. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("vectors")
    void embeddedInAsciiAroundBlockBoundariesTheIndexShifts(String name, String hex, int expected) {
        byte[] bytes = Rfc3629.hex(hex);
        int vl = KernelProbe.vectorLength();
        for (int prefix : new int[] {0, 1, vl - 3, vl - 2, vl - 1, vl, vl + 1, 2 * vl - 1, 2 * vl + 5}) {
            for (int suffix : new int[] {0, 1, vl}) {
                byte[] text = new byte[prefix + bytes.length + suffix];
                Arrays.fill(text, (byte) 'z');
                System.arraycopy(bytes, 0, text, prefix, bytes.length);
                // With ASCII after it, a vector that ends inside a code point fails at that ASCII byte; without,
                // at the end: either way at prefix + its length.
                int want = expected < 0 ? -1 : prefix + expected;
                int p = prefix;
                int s = suffix;
                assertEquals(want, Utf8.firstInvalid(text, 0, text.length), () -> "prefix " + p + ", suffix " + s);
                assertEquals(want, KernelProbe.vectorFirstInvalid(text, 0, text.length),
                        () -> "vector kernel, prefix " + p + ", suffix " + s);
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("vectors")
    void streamedAByteAtATimeOrAfterALongChunkFailsAtTheSameByte(String name, String hex, int expected) {
        byte[] bytes = Rfc3629.hex(hex);
        Utf8Validator validator = new Utf8Validator();
        int failedAt = -1;
        for (int i = 0; i < bytes.length && failedAt < 0; i++) {
            failedAt = validator.feed(bytes, i, i + 1);
        }
        if (expected < 0) {
            assertEquals(-1, failedAt);
            assertTrue(validator.isComplete(), "complete");
        } else if (expected == bytes.length) {
            assertEquals(-1, failedAt, "a truncated end fails no byte");
            assertFalse(validator.isComplete(), "ends inside a code point");
            assertFalse(validator.hasFailed());
        } else {
            assertEquals(expected, failedAt);
            assertTrue(validator.hasFailed());
            assertEquals(expected, validator.acceptedBytes());
        }

        // In the second of two chunks, after more than a block of ASCII: the vector kernel sees it mid-message.
        int vl = KernelProbe.vectorLength();
        byte[] message = new byte[2 * vl + 1 + bytes.length + vl];
        Arrays.fill(message, (byte) 'q');
        int at = 2 * vl + 1;
        System.arraycopy(bytes, 0, message, at, bytes.length);
        int split = at + Math.min(1, bytes.length); // the first chunk ends after the vector's first byte
        validator.reset();
        int first = validator.feed(message, 0, split);
        int second = first >= 0 ? first : validator.feed(message, split, message.length);
        int want = expected < 0 ? -1 : at + expected; // truncated vectors fail at the ASCII after them
        assertEquals(want, second, "after a long chunk");
        assertEquals(expected < 0, validator.isComplete());
        assertEquals(want < 0 ? message.length : want, validator.acceptedBytes());
    }
}
