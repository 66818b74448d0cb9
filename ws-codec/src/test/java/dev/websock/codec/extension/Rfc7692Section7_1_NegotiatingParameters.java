package dev.websock.codec.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.codec.Role;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The four parameters of RFC 7692 §7.1, as a server accepts and answers them and as a client checks the answer. */
class Rfc7692Section7_1_NegotiatingParameters {

    private static final PerMessageDeflate DEFAULTS = PerMessageDeflate.builder().nativeZlib(false).build();

    private static ExtensionElement element(String header) {
        return ExtensionHeader.parse(header).getFirst();
    }

    private static DeflateAgreement accepted(PerMessageDeflate settings, String offer) {
        try {
            return settings.accept(element(offer));
        } catch (ExtensionException e) {
            throw new AssertionError(offer + " was declined: " + e.getMessage());
        }
    }

    private static String response(PerMessageDeflate settings, String offer) {
        return accepted(settings, offer).response().toHeaderValue();
    }

    private static String declined(String offer) {
        return assertThrows(ExtensionException.class, () -> DEFAULTS.accept(element(offer)), offer).getMessage();
    }

    @Nested
    class Section7_ServerDeclinesBadOffers {

        @ParameterizedTest
        @ValueSource(strings = {
            "permessage-deflate; mystery",
            "permessage-deflate; server_no_context_takeover; x=1",
            "permessage-deflate; Server_No_Context_Takeover",
        })
        void anUnknownParameterDeclinesTheOffer(String offer) {
            assertTrue(declined(offer).contains("unknown parameter"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
            "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
        })
        void aDuplicateParameterDeclinesTheOffer(String offer) {
            assertTrue(declined(offer).contains("appears twice"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=08",
            "permessage-deflate; server_max_window_bits=+9",
            "permessage-deflate; server_max_window_bits=ten",
            "permessage-deflate; server_max_window_bits=100000000000000000000",
            "permessage-deflate; client_max_window_bits=0",
            "permessage-deflate; client_max_window_bits=\"16\"",
            "permessage-deflate; server_no_context_takeover=true",
            "permessage-deflate; client_no_context_takeover=1",
        })
        void aMissingOrInvalidValueDeclinesTheOffer(String offer) {
            String reason = declined(offer);
            assertTrue(reason.contains("RFC 7692"), reason);
        }

        @Test
        void aMalformedOfferIsDeclinedWithTheParsersReason() {
            assertTrue(declined("permessage-deflate; server_max_window_bits=\"1 0\"").contains("not a token"));
        }
    }

    @Nested
    class Section7_1_1_1_ServerNoContextTakeover {

        @Test
        void askedForItIsAnswered() {
            DeflateAgreement a = accepted(DEFAULTS, "permessage-deflate; server_no_context_takeover");
            assertEquals("permessage-deflate; server_no_context_takeover", a.response().toHeaderValue());
            assertTrue(a.ownNoContextTakeover());
            assertTrue(a.newOutbound() instanceof MessageDeflater);
        }

        @Test
        void aServerThatWantsItSaysSoUnasked() {
            PerMessageDeflate noContext = PerMessageDeflate.builder().noContextTakeover(true).build();
            assertEquals("permessage-deflate; server_no_context_takeover", response(noContext, "permessage-deflate"));
        }

        @Test
        void notAskedAndNotWantedItIsLeftOut() {
            DeflateAgreement a = accepted(DEFAULTS, "permessage-deflate");
            assertEquals("permessage-deflate", a.response().toHeaderValue());
            assertFalse(a.ownNoContextTakeover());
        }
    }

    @Nested
    class Section7_1_1_2_ClientNoContextTakeover {

        @Test
        void theClientsHintIsEchoedSoOurInflaterMayResetBetweenMessages() {
            DeflateAgreement a = accepted(DEFAULTS, "permessage-deflate; client_no_context_takeover");
            assertEquals("permessage-deflate; client_no_context_takeover", a.response().toHeaderValue());
            assertTrue(a.peerNoContextTakeover());
        }

        @Test
        void aServerMayRequireItUnasked() {
            PerMessageDeflate strict = PerMessageDeflate.builder().requestPeerNoContextTakeover(true).build();
            assertEquals("permessage-deflate; client_no_context_takeover", response(strict, "permessage-deflate"));
        }
    }

    @Nested
    class Section7_1_2_1_ServerMaxWindowBits {

        @ParameterizedTest
        @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
        void theClientsLimitIsHonouredNotDeclined(int bits) {
            DeflateAgreement a = accepted(DEFAULTS, "permessage-deflate; server_max_window_bits=" + bits);
            assertEquals("permessage-deflate; server_max_window_bits=" + bits, a.response().toHeaderValue());
            assertEquals(bits, a.ownWindowBits());
            assertEquals(bits, a.newOutbound().windowBits());
        }

        @ParameterizedTest
        @CsvSource({"15, 12, 12", "10, 12, 10", "12, 12, 12", "8, 9, 8"})
        void theServerUsesTheSmallerOfTheClientsLimitAndItsOwn(int offered, int configured, int used) {
            PerMessageDeflate small = PerMessageDeflate.builder().maxWindowBits(configured).build();
            assertEquals("permessage-deflate; server_max_window_bits=" + used,
                    response(small, "permessage-deflate; server_max_window_bits=" + offered));
        }

        @Test
        void aServerWithASmallWindowStatesItUnasked() {
            PerMessageDeflate small = PerMessageDeflate.builder().maxWindowBits(11).build();
            assertEquals("permessage-deflate; server_max_window_bits=11", response(small, "permessage-deflate"));
        }

        @Test
        void autobahnCase13_3OfferIsHonouredWithANineBitWindow() {
            // Autobahn 13.3.x and 13.5.x offer server_max_window_bits=9 with client_max_window_bits=9.
            DeflateAgreement a = accepted(PerMessageDeflate.defaults(),
                    "permessage-deflate; server_max_window_bits=9; client_max_window_bits=9");
            assertEquals("permessage-deflate; server_max_window_bits=9", a.response().toHeaderValue());
            MessageDeflater deflater = a.newOutbound();
            assertEquals(9, deflater.windowBits());
            assertEquals(MessageDeflater.Backend.NATIVE_ZLIB, deflater.backend());
            deflater.close();
        }
    }

    @Nested
    class Section7_1_2_2_ClientMaxWindowBits {

        @Test
        void offeredWithoutAValueItIsLeftOutByDefault() {
            DeflateAgreement a = accepted(DEFAULTS, "permessage-deflate; client_max_window_bits");
            assertEquals("permessage-deflate", a.response().toHeaderValue());
            assertEquals(15, a.clientMaxWindowBits());
        }

        @Test
        void offeredWithoutAValueAServerMayNameOne() {
            PerMessageDeflate asks = PerMessageDeflate.builder().peerMaxWindowBits(10).build();
            assertEquals("permessage-deflate; client_max_window_bits=10",
                    response(asks, "permessage-deflate; client_max_window_bits"));
        }

        @Test
        void aServerNamesOneOnlyWhenItIsBelowTheClientsOwn() {
            PerMessageDeflate asks = PerMessageDeflate.builder().peerMaxWindowBits(10).build();
            assertEquals("permessage-deflate; client_max_window_bits=10",
                    response(asks, "permessage-deflate; client_max_window_bits=11"));
            assertEquals("permessage-deflate", response(asks, "permessage-deflate; client_max_window_bits=9"));
            assertEquals(9, accepted(asks, "permessage-deflate; client_max_window_bits=9").clientMaxWindowBits());
        }

        @Test
        void notOfferedItMustNotBeInTheResponseWhateverTheServerWants() {
            PerMessageDeflate asks = PerMessageDeflate.builder().peerMaxWindowBits(10).build();
            assertEquals("permessage-deflate", response(asks, "permessage-deflate"));
        }
    }

    @Nested
    class ClientRole {

        @Test
        void theDefaultOfferAnnouncesClientMaxWindowBits() {
            assertEquals("permessage-deflate; client_max_window_bits", DEFAULTS.offer().toHeaderValue());
        }

        @Test
        void theOfferCarriesEveryWish() {
            PerMessageDeflate wishes = PerMessageDeflate.builder().requestPeerNoContextTakeover(true)
                    .noContextTakeover(true).peerMaxWindowBits(10).maxWindowBits(12).build();
            assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                    + " server_max_window_bits=10; client_max_window_bits=12", wishes.offer().toHeaderValue());
        }

        @Test
        void theServersLimitOnTheClientWindowIsObeyed() throws ExtensionException {
            DeflateAgreement a = DEFAULTS.confirm(element("permessage-deflate; client_max_window_bits=10"));
            assertEquals(Role.CLIENT, a.role());
            assertEquals(10, a.ownWindowBits());
            assertEquals(MessageDeflater.Backend.HUFFMAN_ONLY, a.newOutbound().backend(), "native zlib not allowed here");
        }

        @Test
        void theServersContextTakeoverChoicesSetBothDirections() throws ExtensionException {
            DeflateAgreement a = DEFAULTS.confirm(element(
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12"));
            assertTrue(a.ownNoContextTakeover());
            assertTrue(a.peerNoContextTakeover());
            assertEquals(12, a.serverMaxWindowBits());
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "permessage-deflate; client_max_window_bits",       // a response must give a value
            "permessage-deflate; client_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; what_is_this",
            "permessage-deflate; server_no_context_takeover=1",
            "permessage-deflate; server_max_window_bits=\"1 5\"",
        })
        void anInvalidResponseFailsTheConnection(String header) {
            assertThrows(ExtensionException.class, () -> DEFAULTS.confirm(element(header)));
        }

        @Test
        void aServerWindowAboveTheOfferedLimitFailsTheConnection() {
            PerMessageDeflate asks = PerMessageDeflate.builder().peerMaxWindowBits(10).build();
            ExtensionException e = assertThrows(ExtensionException.class,
                    () -> asks.confirm(element("permessage-deflate; server_max_window_bits=11")));
            assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        }
    }

    @Test
    void settingsOutsideTheirRangesAreRefusedWithTheRange() {
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().maxWindowBits(7));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().peerMaxWindowBits(16));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().compressionLevel(10));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().memLevel(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().bufferSize(63));
        assertTrue(e.getMessage().contains("64"), e.getMessage());
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        PerMessageDeflate d = PerMessageDeflate.defaults();
        assertEquals(List.of(6, 15, 8, 15, 16384), List.of(d.compressionLevel(), d.maxWindowBits(), d.memLevel(),
                d.peerMaxWindowBits(), d.bufferSize()));
        assertFalse(d.noContextTakeover());
        assertFalse(d.requestPeerNoContextTakeover());
        assertEquals(0x40, d.rsvBits());
    }
}
