package dev.websock.transport.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The few DER encodings (ITU-T X.690 §10) that a self-signed X.509 certificate needs: each method returns
 * one complete tag-length-value. The JDK parses certificates but has no public API to build them.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int UTF8_STRING = 0x0c;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private Der() {
    }

    /** A value with {@code tag} and {@code content}, its length in the short or long definite form (§8.1.3). */
    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... elements) {
        return tlv(SEQUENCE, concat(elements));
    }

    static byte[] set(byte[]... elements) {
        return tlv(SET, concat(elements));
    }

    /** Two's complement, big-endian, minimal length (§8.3). */
    static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    static byte[] nullValue() {
        return new byte[] {NULL, 0};
    }

    static byte[] bool(boolean value) {
        return new byte[] {0x01, 1, (byte) (value ? 0xff : 0x00)};
    }

    static byte[] octetString(byte[] content) {
        return tlv(OCTET_STRING, content);
    }

    /** A bit string whose last {@code unusedBits} bits are padding (§8.6). */
    static byte[] bitString(byte[] bits, int unusedBits) {
        byte[] content = new byte[bits.length + 1];
        content[0] = (byte) unusedBits;
        System.arraycopy(bits, 0, content, 1, bits.length);
        return tlv(BIT_STRING, content);
    }

    static byte[] utf8String(String value) {
        return tlv(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An OID from its dotted form, each arc in base 128 with continuation bits (§8.19). */
    static byte[] objectIdentifier(String dotted) {
        String[] parts = dotted.split("\\.");
        List<Long> arcs = new ArrayList<>();
        for (String part : parts) {
            arcs.add(Long.parseLong(part));
        }
        if (arcs.size() < 2) {
            throw new IllegalArgumentException("an OID has at least two arcs: " + dotted);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBase128(out, arcs.get(0) * 40 + arcs.get(1));
        for (int i = 2; i < arcs.size(); i++) {
            writeBase128(out, arcs.get(i));
        }
        return tlv(OBJECT_IDENTIFIER, out.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int group = (int) (value >>> (7 * i)) & 0x7f;
            out.write(i == 0 ? group : group | 0x80);
        }
    }

    /**
     * A certificate validity time: UTCTime through 2049, GeneralizedTime from 2050 on, both in UTC to the
     * second (RFC 5280 §4.1.2.5).
     */
    static byte[] time(ZonedDateTime time) {
        ZonedDateTime utc = time.withZoneSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        if (utc.getYear() < 2050) {
            return tlv(UTC_TIME, UTC_TIME_FORMAT.format(utc).getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(GENERALIZED_TIME, GENERALIZED_TIME_FORMAT.format(utc).getBytes(StandardCharsets.US_ASCII));
    }

    /** A constructed context-specific tag {@code [n]} wrapping one complete value (EXPLICIT tagging). */
    static byte[] explicit(int n, byte[] value) {
        return tlv(0xa0 | n, value);
    }

    /** A primitive context-specific tag {@code [n]} replacing the tag of a primitive value (IMPLICIT). */
    static byte[] implicitPrimitive(int n, byte[] content) {
        return tlv(0x80 | n, content);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
