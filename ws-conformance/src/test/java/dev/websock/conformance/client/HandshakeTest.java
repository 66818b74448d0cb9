package dev.websock.conformance.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.conformance.deflate.DeflateOffer;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    /** RFC 6455 §1.3's example key and accept value. */
    @Test
    void computesTheRfcAcceptExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    private static Handshake handshake(List<DeflateOffer> offers) {
        return new Handshake("", "dGhlIHNhbXBsZSBub25jZQ==", offers);
    }

    private static String response(String... extra) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" + (extra.length == 0 ? "" : "\r\n" + String.join("\r\n", extra));
    }

    @Test
    void acceptsAConformingResponse() throws Exception {
        assertNull(handshake(List.of()).checkResponse(response()));
    }

    @Test
    void refusesAWrongStatusAcceptOrUpgrade() {
        assertThrows(HandshakeException.class, () -> handshake(List.of()).checkResponse("HTTP/1.1 200 OK\r\nX: y"));
        assertThrows(HandshakeException.class, () -> handshake(List.of()).checkResponse(
                response().replace("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "AAAA")));
        assertThrows(HandshakeException.class, () -> handshake(List.of()).checkResponse(
                response().replace("Upgrade: websocket", "Upgrade: h2c")));
    }

    @Test
    void refusesAnExtensionThatWasNotOffered() {
        HandshakeException e = assertThrows(HandshakeException.class, () -> handshake(List.of())
                .checkResponse(response("Sec-WebSocket-Extensions: permessage-deflate")));
        assertTrue(e.getMessage().contains("did not offer"), e.getMessage());
    }

    @Test
    void returnsTheNegotiatedDeflateParameters() throws Exception {
        var p = handshake(List.of(DeflateOffer.standard())).checkResponse(
                response("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9"));
        assertEquals(9, p.clientMaxWindowBits());
    }

    @Test
    void theRequestCarriesKeyVersionHostAndOffers() {
        Target t = Target.of(URI.create("ws://example.com:9001/path?x=1"));
        Handshake h = Handshake.request(t, List.of(DeflateOffer.standard()), java.util.random.RandomGenerator.getDefault());
        assertTrue(h.request().startsWith("GET /path?x=1 HTTP/1.1\r\nHost: example.com:9001\r\n"), h.request());
        assertTrue(h.request().contains("Sec-WebSocket-Version: 13\r\n"));
        assertTrue(h.request().contains("Sec-WebSocket-Key: " + h.key() + "\r\n"));
        assertTrue(h.request().contains("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));
        assertTrue(h.request().endsWith("\r\n\r\n"));
        assertEquals(24, h.key().length());
    }

    @Test
    void targetsNeedWsOrWssUrlsWithoutFragments() {
        assertThrows(IllegalArgumentException.class, () -> Target.of(URI.create("http://example.com/")));
        assertThrows(IllegalArgumentException.class, () -> Target.of(URI.create("ws://example.com/#frag")));
        assertEquals(443, Target.of(URI.create("wss://example.com")).port());
        assertEquals("/", Target.of(URI.create("wss://example.com")).resource());
    }
}
