package dev.websock.conformance.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks a client makes on the server's permessage-deflate response (RFC 7692 §7.1). */
class DeflateParametersTest {

    @Test
    void aPlainResponseAcceptsThePlainOffer() {
        DeflateParameters p = DeflateParameters.fromResponse(List.of(), List.of(DeflateOffer.standard()));
        assertEquals(new DeflateParameters(false, false, 15, 15), p);
    }

    @Test
    void theServerMayLimitTheClientWindowWhenTheOfferAllowsIt() {
        DeflateParameters p = DeflateParameters.fromResponse(List.of("client_max_window_bits=10",
                "client_no_context_takeover"), List.of(DeflateOffer.standard()));
        assertEquals(10, p.clientMaxWindowBits());
        assertTrue(p.clientNoContextTakeover());
    }

    @Test
    void clientMaxWindowBitsIsRefusedWhenNotOffered() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeflateParameters.fromResponse(List.of("client_max_window_bits=10"),
                        List.of(new DeflateOffer(false, 0, false))));
        assertTrue(e.getMessage().contains("§7.1.2.2"), e.getMessage());
    }

    /** §7.1.2.1: accepting server_max_window_bits=8 means answering with it (same or smaller). */
    @Test
    void anAcceptedServerWindowRequestMustBeAnswered() {
        List<DeflateOffer> offer = List.of(new DeflateOffer(false, 8, true));
        assertThrows(IllegalArgumentException.class, () -> DeflateParameters.fromResponse(List.of(), offer));
        assertThrows(IllegalArgumentException.class,
                () -> DeflateParameters.fromResponse(List.of("server_max_window_bits=9"), offer));
        assertEquals(8, DeflateParameters.fromResponse(List.of("server_max_window_bits=8"), offer).serverMaxWindowBits());
    }

    @Test
    void theResponseMatchesAnyOfSeveralOffers() {
        List<DeflateOffer> offers = List.of(new DeflateOffer(true, 8, true), new DeflateOffer(true, 0, true),
                DeflateOffer.standard());
        assertEquals(new DeflateParameters(false, false, 15, 15), DeflateParameters.fromResponse(List.of(), offers));
        assertEquals(new DeflateParameters(true, false, 15, 15),
                DeflateParameters.fromResponse(List.of("server_no_context_takeover"), offers));
    }

    @Test
    void malformedParametersAreRefused() {
        List<DeflateOffer> offer = List.of(DeflateOffer.standard());
        assertThrows(IllegalArgumentException.class, () -> DeflateParameters.fromResponse(List.of("foo"), offer));
        assertThrows(IllegalArgumentException.class,
                () -> DeflateParameters.fromResponse(List.of("server_max_window_bits=16"), offer));
        assertThrows(IllegalArgumentException.class,
                () -> DeflateParameters.fromResponse(List.of("server_no_context_takeover=1"), offer));
        assertThrows(IllegalArgumentException.class, () -> DeflateParameters.fromResponse(
                List.of("server_no_context_takeover", "server_no_context_takeover"), offer));
    }

    @Test
    void offersAreWrittenAsHeaderElements() {
        assertEquals("permessage-deflate; client_max_window_bits; server_no_context_takeover; server_max_window_bits=8",
                new DeflateOffer(true, 8, true).headerElement());
    }
}
