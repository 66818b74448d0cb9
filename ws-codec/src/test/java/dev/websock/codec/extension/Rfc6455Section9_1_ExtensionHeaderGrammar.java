package dev.websock.codec.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.codec.extension.ExtensionElement.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Sec-WebSocket-Extensions = 1#extension; extension = token *( ";" param ); param = token [ "=" (token / quoted-string) ]}. */
class Rfc6455Section9_1_ExtensionHeaderGrammar {

    private static ExtensionElement only(String header) {
        List<ExtensionElement> elements = ExtensionHeader.parse(header);
        assertEquals(1, elements.size(), () -> "elements of " + header + ": " + elements);
        return elements.getFirst();
    }

    @Test
    void anExtensionWithoutParameters() {
        assertEquals(ExtensionElement.of("permessage-deflate", List.of()), only("permessage-deflate"));
    }

    @Test
    void parametersWithAndWithoutValuesKeepTheirOrder() {
        ExtensionElement e = only("permessage-deflate; client_max_window_bits; server_max_window_bits=10");
        assertEquals(List.of(Parameter.of("client_max_window_bits"), Parameter.of("server_max_window_bits", "10")),
                e.parameters());
        assertFalse(e.isMalformed());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "permessage-deflate;server_max_window_bits=10",
        "permessage-deflate ; server_max_window_bits = 10",
        "  permessage-deflate\t;\tserver_max_window_bits\t=\t10  ",
        "permessage-deflate; server_max_window_bits=\"10\"",
        "permessage-deflate; server_max_window_bits = \"10\" ",
        "permessage-deflate; server_max_window_bits=\"1\\0\"",
    })
    void whitespaceAroundSeparatorsAndQuotedValuesReadTheSame(String header) {
        assertEquals(ExtensionElement.of("permessage-deflate", List.of(Parameter.of("server_max_window_bits", "10"))),
                only(header));
    }

    @Test
    void severalOffersAreKeptInOrder() {
        List<ExtensionElement> elements = ExtensionHeader.parse(
                "permessage-deflate; client_max_window_bits=10, x-webkit-deflate-frame, permessage-deflate");
        assertEquals(List.of("permessage-deflate", "x-webkit-deflate-frame", "permessage-deflate"),
                elements.stream().map(ExtensionElement::name).toList());
        assertEquals("10", elements.getFirst().parameters().getFirst().value());
        assertTrue(elements.get(2).parameters().isEmpty());
    }

    @Test
    void repeatedHeaderFieldsAreOneList() {
        List<ExtensionElement> elements = ExtensionHeader.parse(List.of("a; x=1", "b, c"));
        assertEquals(List.of("a", "b", "c"), elements.stream().map(ExtensionElement::name).toList());
    }

    @Test
    void emptyListItemsAreSkipped() {
        assertEquals(List.of("a", "b"), ExtensionHeader.parse(" , a ,, , b ,").stream().map(ExtensionElement::name).toList());
        assertTrue(ExtensionHeader.parse("").isEmpty());
        assertTrue(ExtensionHeader.parse(List.of()).isEmpty());
    }

    @Test
    void duplicateParametersAreKeptSoTheExtensionCanDeclineThem() {
        ExtensionElement e = only("permessage-deflate; server_no_context_takeover; server_no_context_takeover");
        assertEquals(2, e.parameters().size());
        assertFalse(e.isMalformed());
    }

    @Test
    void aQuotedCommaDoesNotEndTheElementButStillBreaksTheTokenRule() {
        List<ExtensionElement> elements = ExtensionHeader.parse("a; p=\"x, y\", b");
        assertEquals(List.of("a", "b"), elements.stream().map(ExtensionElement::name).toList());
        assertTrue(elements.getFirst().isMalformed());
        assertTrue(elements.getFirst().defect().contains("not a token"), elements.getFirst().defect());
        assertFalse(elements.get(1).isMalformed());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "permessage-deflate; =10",              // no parameter name
        "permessage-deflate; ",                 // ';' and nothing
        "permessage-deflate; server_max_window_bits=",   // '=' and no value
        "permessage-deflate; server_max_window_bits=\"\"", // quoted empty value: not a token
        "permessage-deflate; server_max_window_bits=\"1 0\"", // quoted value with a space: not a token
        "permessage-deflate; server_max_window_bits=10 11",   // two values
        "permessage-deflate server_max_window_bits",          // no ';'
        "permessage-deflate; server_max_window_bits=@",       // a separator as value
        "permessage-deflate; server_max_window_bits=\"10",    // unterminated quoted value
        "permessage-deflate; a/b",                            // '/' is not a tchar
    })
    void aBrokenElementIsMarkedMalformedWithItsName(String header) {
        ExtensionElement e = only(header);
        assertEquals("permessage-deflate", e.name());
        assertTrue(e.isMalformed(), () -> header + " read as " + e);
    }

    @Test
    void aBrokenElementDoesNotSpoilTheNextOne() {
        List<ExtensionElement> elements = ExtensionHeader.parse(
                "permessage-deflate; server_max_window_bits=@@, permessage-deflate; client_max_window_bits");
        assertEquals(2, elements.size());
        assertTrue(elements.get(0).isMalformed());
        assertFalse(elements.get(1).isMalformed());
        assertEquals(List.of(Parameter.of("client_max_window_bits")), elements.get(1).parameters());
    }

    @Test
    void anUnterminatedQuoteTakesTheRestOfItsHeaderFieldOnly() {
        List<ExtensionElement> elements = ExtensionHeader.parse(List.of("a; p=\"x, b", "c"));
        assertEquals(List.of("a", "c"), elements.stream().map(ExtensionElement::name).toList());
        assertTrue(elements.get(0).isMalformed());
    }

    @Test
    void anElementWithoutANameIsMalformedAndNamedEmpty() {
        List<ExtensionElement> elements = ExtensionHeader.parse("; x=1, b");
        assertEquals("", elements.get(0).name());
        assertTrue(elements.get(0).isMalformed());
        assertEquals("b", elements.get(1).name());
    }

    @Test
    void formattingWritesTokensBareAndQuotesTheRest() {
        ExtensionElement e = ExtensionElement.of("x", List.of(Parameter.of("a"), Parameter.of("b", "10"),
                Parameter.of("c", "two words \"q\"")));
        assertEquals("x; a; b=10; c=\"two words \\\"q\\\"\"", e.toHeaderValue());
        assertEquals("x; a; b=10, y", ExtensionHeader.format(List.of(
                ExtensionElement.of("x", List.of(Parameter.of("a"), Parameter.of("b", "10"))), ExtensionElement.of("y", List.of()))));
    }

    @Test
    void whatIsFormattedParsesBack() {
        String header = "permessage-deflate; server_no_context_takeover; client_max_window_bits=12, other; k=v";
        assertEquals(header, ExtensionHeader.format(ExtensionHeader.parse(header)));
    }

    @Test
    void tokensAreTheRfc7230Tchars() {
        assertTrue(ExtensionHeader.isToken("!#$%&'*+-.^_`|~09azAZ"));
        for (char c : "\"(),/:;<=>?@[\\]{} \t".toCharArray()) {
            assertFalse(ExtensionHeader.isToken("a" + c), () -> "'" + c + "' is a separator");
        }
        assertFalse(ExtensionHeader.isToken(""));
        assertFalse(ExtensionHeader.isToken("é"));
        assertNull(only("a; b").parameters().getFirst().value());
    }
}
