package dev.websock.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Headers}, grouped like RFC 9110. */
class HeadersTest {

    /** RFC 9110 §5: names compare ignoring case, fields repeat, and list fields split on commas. */
    @Nested
    class Rfc9110Section5_FieldsAndLists {

        private final Headers headers = Headers.of(
                "Connection", "keep-alive, Upgrade",
                "X-List", "a ,, b,",
                "connection", "close",
                "x-list", "\"c, d\", e;q=\"f,g\\\",h\"",
                "Empty", "");

        @Test
        void namesCompareIgnoringCase() {
            assertEquals("keep-alive, Upgrade", headers.first("CONNECTION"));
            assertEquals(2, headers.count("connection"));
            assertTrue(headers.contains("eMpTy"));
            assertFalse(headers.contains("Connectio"));
            assertNull(headers.first("Missing"));
            assertEquals(List.of(), headers.all("Missing"));
        }

        @Test
        void onlyLettersCompareIgnoringCase() {
            // '^' and '~' are both token characters and differ only in the bit that separates cases of letters.
            assertFalse(Headers.of("X^", "1").contains("X~"));
            assertFalse(Headers.of("Connection", "a^b").hasToken("Connection", "a~b"));
            assertTrue(Headers.of("X^", "1").contains("x^"));
        }

        @Test
        void fieldsAreReadByIndexInOrder() {
            assertEquals("x-list", headers.name(3));
            assertEquals("", headers.value(4));
            assertThrows(IndexOutOfBoundsException.class, () -> headers.value(5));
            assertThrows(IndexOutOfBoundsException.class, () -> headers.name(-1));
        }

        @Test
        void allValuesComeInOrder() {
            assertEquals(List.of("keep-alive, Upgrade", "close"), headers.all("Connection"));
        }

        @Test
        void listElementsSpanRepeatedFieldsTrimmedWithEmptyOnesSkipped() {
            // RFC 9110 §5.6.1: "a recipient MUST parse and ignore a reasonable number of empty list elements".
            assertEquals(List.of("keep-alive", "Upgrade", "close"), headers.tokens("Connection"));
            assertEquals(List.of("a", "b", "\"c, d\"", "e;q=\"f,g\\\",h\""), headers.tokens("X-List"));
            assertEquals(List.of(), headers.tokens("Empty"));
            assertEquals(List.of(), headers.tokens("Missing"));
        }

        @Test
        void hasTokenComparesWholeElementsIgnoringCase() {
            assertTrue(headers.hasToken("connection", "upgrade"));
            assertTrue(headers.hasToken("Connection", "CLOSE"));
            assertFalse(headers.hasToken("Connection", "Upgrad"));
            assertFalse(headers.hasToken("Connection", "keep-alive, Upgrade"));
            assertFalse(headers.hasToken("X-List", "d"));
            assertFalse(headers.hasToken("Empty", ""));
        }

        @Test
        void equalityIgnoresTheCaseOfNamesButNotOfValues() {
            assertEquals(Headers.of("A", "x"), Headers.of("a", "x"));
            assertEquals(Headers.of("A", "x").hashCode(), Headers.of("a", "x").hashCode());
            assertNotEquals(Headers.of("A", "x"), Headers.of("A", "X"));
            assertNotEquals(Headers.of("A", "x", "B", "y"), Headers.of("B", "y", "A", "x"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "A B", "A:", "Ä", "A\r\n"})
        void nameThatIsNotATokenCannotBeSent(String name) {
            assertThrows(IllegalArgumentException.class, () -> Headers.of(name, "v"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"a\r\nSet-Cookie: x", "a\nb", "a\u0000", "a\u007f", " a", "a\t", "\u20ac"})
        void valueThatWouldSplitTheLineOrCannotBeAByteCannotBeSent(String value) {
            assertThrows(IllegalArgumentException.class, () -> Headers.of("A", value));
        }

        @Test
        void namesAndValuesComeInPairs() {
            assertThrows(IllegalArgumentException.class, () -> Headers.of("A"));
        }

        @Test
        void toStringQuotesAndEscapesValues() {
            assertEquals("A: \"caf\\xe9 \\x22q\\x22\"\nB: \"\"\n", Headers.of("A", "caf\u00e9 \"q\"", "B", "").toString());
        }
    }
}
