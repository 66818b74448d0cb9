package dev.websock.codec.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Whole headers through {@link ExtensionNegotiation}: several offers in order, the first acceptable one
 * accepted (RFC 7692 §5), unknown extensions ignored (RFC 6455 §9.1), and the client's checks (RFC 6455 §4.1).
 */
class Rfc7692Section5_ExtensionNegotiation {

    private static final ExtensionNegotiation DEFLATE = new ExtensionNegotiation(List.of(PerMessageDeflate.defaults()));

    @Nested
    class ServerRole {

        @Test
        void noHeaderAgreesToNothingAndSendsNoHeader() {
            ExtensionNegotiation.Agreement a = DEFLATE.accept(List.of());
            assertTrue(a.extensions().isEmpty());
            assertNull(a.responseHeader());
            assertEquals(0, a.rsvBits());
        }

        @Test
        void aBrowsersOfferIsAccepted() {
            ExtensionNegotiation.Agreement a = DEFLATE.accept(List.of("permessage-deflate; client_max_window_bits"));
            assertEquals("permessage-deflate", a.responseHeader());
            assertEquals(0x40, a.rsvBits());
            assertTrue(a.declined().isEmpty());
        }

        @Test
        void theFirstAcceptableOfferWinsAndTheDeclinedOnesAreExplained() {
            ExtensionNegotiation.Agreement a = DEFLATE.accept(List.of(
                    "permessage-deflate; server_max_window_bits=10; unknown_param,"
                            + " permessage-deflate; server_max_window_bits=16,"
                            + " permessage-deflate; server_max_window_bits=12; client_no_context_takeover,"
                            + " permessage-deflate"));
            assertEquals("permessage-deflate; client_no_context_takeover; server_max_window_bits=12", a.responseHeader());
            assertEquals(2, a.declined().size(), a.declined().toString());
            assertTrue(a.declined().get(0).contains("unknown parameter unknown_param"), a.declined().get(0));
            assertTrue(a.declined().get(1).contains("server_max_window_bits=16"), a.declined().get(1));
        }

        @Test
        void unknownExtensionsAreIgnoredNotDeclined() {
            ExtensionNegotiation.Agreement a = DEFLATE.accept(List.of("x-webkit-deflate-frame; no_context_takeover",
                    "mux, permessage-deflate; server_no_context_takeover"));
            assertEquals("permessage-deflate; server_no_context_takeover", a.responseHeader());
            assertTrue(a.declined().isEmpty());
        }

        @Test
        void offersSpreadOverSeveralHeaderFieldsAreOneListInOrder() {
            ExtensionNegotiation.Agreement a = DEFLATE.accept(List.of("permessage-deflate; bogus",
                    "permessage-deflate; server_max_window_bits=9", "permessage-deflate"));
            assertEquals("permessage-deflate; server_max_window_bits=9", a.responseHeader());
        }

        @Test
        void whenEveryOfferIsDeclinedNothingIsAgreed() {
            ExtensionNegotiation.Agreement a = DEFLATE.accept(List.of("permessage-deflate; a, permessage-deflate; b=\"x y\""));
            assertNull(a.responseHeader());
            assertEquals(2, a.declined().size());
        }

        @Test
        void anExtensionWhoseRsvBitsAreTakenIsDeclined() {
            Extension other = new Renamed("x-other-deflate");
            ExtensionNegotiation both = new ExtensionNegotiation(List.of(PerMessageDeflate.defaults(), other));
            ExtensionNegotiation.Agreement a = both.accept(List.of("x-other-deflate, permessage-deflate"));
            assertEquals("x-other-deflate", a.responseHeader());
            assertTrue(a.declined().getFirst().contains("RSV bits"), a.declined().toString());
        }
    }

    @Nested
    class ClientRole {

        @Test
        void theOfferHeaderListsEachSupportedExtension() {
            assertEquals("permessage-deflate; client_max_window_bits", DEFLATE.offer());
            assertNull(new ExtensionNegotiation(List.of()).offer());
        }

        @Test
        void aResponseWithoutExtensionsAgreesToNone() throws ExtensionException {
            assertTrue(DEFLATE.confirm(List.of()).isEmpty());
        }

        @Test
        void theServersAnswerIsConfirmed() throws ExtensionException {
            List<AgreedExtension> agreed = DEFLATE.confirm(List.of("permessage-deflate; server_no_context_takeover"));
            assertEquals(1, agreed.size());
            assertTrue(((DeflateAgreement) agreed.getFirst()).peerNoContextTakeover());
        }

        @Test
        void anExtensionThatWasNotOfferedFailsTheConnection() {
            ExtensionException e = assertThrows(ExtensionException.class, () -> DEFLATE.confirm(List.of("x-webkit-deflate-frame")));
            assertTrue(e.getMessage().contains("not offered"), e.getMessage());
        }

        @Test
        void anExtensionAgreedTwiceFailsTheConnection() {
            assertThrows(ExtensionException.class, () -> DEFLATE.confirm(List.of("permessage-deflate", "permessage-deflate")));
        }

        @Test
        void aMalformedAnswerFailsTheConnection() {
            assertThrows(ExtensionException.class, () -> DEFLATE.confirm(List.of("permessage-deflate; =")));
        }
    }

    @Test
    void anExtensionListedTwiceIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class,
                () -> new ExtensionNegotiation(List.of(PerMessageDeflate.defaults(), PerMessageDeflate.defaults())));
    }

    /** permessage-deflate under another name, to have two extensions that want RSV1. */
    private record Renamed(String name) implements Extension {
        @Override
        public int rsvBits() {
            return 0x40;
        }

        @Override
        public AgreedExtension accept(ExtensionElement offer) throws ExtensionException {
            DeflateAgreement a = PerMessageDeflate.defaults().accept(ExtensionElement.of(PerMessageDeflate.NAME, offer.parameters()));
            return new RenamedAgreement(name, a);
        }

        @Override
        public ExtensionElement offer() {
            return ExtensionElement.of(name, List.of());
        }

        @Override
        public AgreedExtension confirm(ExtensionElement response) {
            throw new UnsupportedOperationException();
        }
    }

    private record RenamedAgreement(String name, DeflateAgreement delegate) implements AgreedExtension {
        @Override
        public int rsvBits() {
            return delegate.rsvBits();
        }

        @Override
        public ExtensionElement response() {
            return ExtensionElement.of(name, delegate.response().parameters());
        }

        @Override
        public InboundTransform newInbound(long maxMessageSize) {
            return delegate.newInbound(maxMessageSize);
        }

        @Override
        public OutboundTransform newOutbound() {
            return delegate.newOutbound();
        }
    }
}
