package dev.websock.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The DER encodings of ITU-T X.690 that the self-signed certificate is built from, against known bytes. */
class DerTest {
    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    @Test
    void objectIdentifiersEncodeTheFirstTwoArcsTogetherAndLargeArcsInBase128() {
        // ecdsa-with-SHA256, as in every ECDSA certificate (RFC 5758 §3.2)
        assertArrayEquals(hex("06 08 2a 86 48 ce 3d 04 03 02"), Der.objectIdentifier("1.2.840.10045.4.3.2"));
        assertArrayEquals(hex("06 03 55 04 03"), Der.objectIdentifier("2.5.4.3"));
    }

    @Test
    void lengthsUseTheShortFormBelow128AndTheMinimalLongFormAbove() {
        assertEquals(2 + 127, Der.octetString(new byte[127]).length);
        assertArrayEquals(hex("04 81 80"), java.util.Arrays.copyOf(Der.octetString(new byte[128]), 3));
        assertArrayEquals(hex("04 82 01 2c"), java.util.Arrays.copyOf(Der.octetString(new byte[300]), 4));
        assertArrayEquals(hex("04 83 01 00 00"), java.util.Arrays.copyOf(Der.octetString(new byte[65536]), 5));
    }

    @Test
    void integersAreMinimalTwosComplement() {
        assertArrayEquals(hex("02 01 02"), Der.integer(BigInteger.TWO));
        assertArrayEquals(hex("02 02 00 80"), Der.integer(BigInteger.valueOf(128)), "a leading zero keeps it positive");
    }

    @Test
    void timesAreUtcTimeThrough2049AndGeneralizedTimeFrom2050() {
        assertArrayEquals(hex("17 0d"), java.util.Arrays.copyOf(
                Der.time(ZonedDateTime.of(2049, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC)), 2));
        assertEquals("491231235959Z", new String(Der.time(ZonedDateTime.of(2049, 12, 31, 23, 59, 59, 0,
                ZoneOffset.UTC)), 2, 13, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("20500101000000Z", new String(Der.time(ZonedDateTime.of(2050, 1, 1, 0, 0, 0, 0,
                ZoneOffset.UTC)), 2, 15, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(Der.GENERALIZED_TIME, Der.time(ZonedDateTime.of(2050, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))[0]);
    }

    @Test
    void bitStringsCarryTheirUnusedBitCountFirst() {
        // keyUsage digitalSignature only: one bit used of the first byte (RFC 5280 §4.2.1.3)
        assertArrayEquals(hex("03 02 07 80"), Der.bitString(new byte[] {(byte) 0x80}, 7));
    }
}
