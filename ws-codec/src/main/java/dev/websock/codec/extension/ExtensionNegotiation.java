package dev.websock.codec.extension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Negotiates {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1) for a set of supported {@link Extension}s, in
 * either role. Immutable and thread-safe: build one per server or client, use it for every handshake.
 *
 * <p>Server: {@link #accept} reads the client's offers in order, ignores those for extensions it does not
 * support (RFC 6455 §9.1: the server picks among what it understands), and for each supported extension accepts
 * the first offer that extension accepts; later offers of an extension already agreed are alternatives the
 * client listed in order of preference and are passed over. An offer whose RSV bits are already taken by an
 * agreed extension is declined. The response header lists the agreed extensions in the order they were
 * offered, which is the order their transforms apply (RFC 6455 §9.1).
 *
 * <p>Client: {@link #offer()} is the header to send; {@link #confirm} checks the server's answer: each element
 * must name an extension that was offered, at most once, with RSV bits that do not collide (RFC 6455 §4.1: an
 * extension not requested fails the connection).
 *
 * <p>Extension and parameter names are compared exactly, as registered ({@code permessage-deflate}).
 */
public final class ExtensionNegotiation {

    private final List<Extension> supported;

    /**
     * @param supported the extensions this endpoint supports, in this endpoint's order of preference for a client
     *     offer; names must be distinct
     */
    public ExtensionNegotiation(List<? extends Extension> supported) {
        this.supported = List.copyOf(supported);
        Set<String> names = new HashSet<>();
        for (Extension e : this.supported) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("extension " + e.name() + " is listed twice; list each once");
            }
            if ((e.rsvBits() & ~0x70) != 0) {
                throw new IllegalArgumentException("extension " + e.name() + " claims RSV bits 0x"
                        + Integer.toHexString(e.rsvBits()) + "; RSV bits are 0x40, 0x20 and 0x10");
            }
        }
    }

    /**
     * What a server agreed to.
     *
     * @param extensions the agreed extensions, in the order of the response header
     * @param responseHeader the {@code Sec-WebSocket-Extensions} value to send, or {@code null} to send none
     * @param declined one sentence per declined offer, for the log
     */
    public record Agreement(List<AgreedExtension> extensions, String responseHeader, List<String> declined) {
        public Agreement {
            extensions = List.copyOf(extensions);
            declined = List.copyOf(declined);
        }

        /** The RSV bits the agreed extensions own: give them to {@code FrameDecoder.allowRsvBits}. */
        public int rsvBits() {
            int bits = 0;
            for (AgreedExtension e : extensions) {
                bits |= e.rsvBits();
            }
            return bits;
        }
    }

    /**
     * Server role: chooses among the offers in the request's {@code Sec-WebSocket-Extensions} fields.
     *
     * @param requestHeaderValues the value of every such field, in order; empty when there is none
     */
    public Agreement accept(List<String> requestHeaderValues) {
        List<AgreedExtension> agreed = new ArrayList<>();
        List<String> declined = new ArrayList<>();
        int usedRsv = 0;
        for (ExtensionElement offer : ExtensionHeader.parse(requestHeaderValues)) {
            Extension extension = find(offer.name());
            if (extension == null || isAgreed(agreed, offer.name())) {
                continue;
            }
            if ((extension.rsvBits() & usedRsv) != 0) {
                declined.add(offer.name() + ": its RSV bits are taken by an extension agreed earlier");
                continue;
            }
            try {
                AgreedExtension accepted = extension.accept(offer);
                agreed.add(accepted);
                usedRsv |= accepted.rsvBits();
            } catch (ExtensionException e) {
                declined.add("offer \"" + offer.toHeaderValue() + "\" declined: " + e.getMessage());
            }
        }
        String response = agreed.isEmpty() ? null
                : ExtensionHeader.format(agreed.stream().map(AgreedExtension::response).toList());
        return new Agreement(agreed, response, declined);
    }

    /** Client role: the {@code Sec-WebSocket-Extensions} value to send, or {@code null} with no extension. */
    public String offer() {
        return supported.isEmpty() ? null : ExtensionHeader.format(supported.stream().map(Extension::offer).toList());
    }

    /**
     * Client role: checks the server's {@code Sec-WebSocket-Extensions} fields against {@link #offer()}.
     *
     * @param responseHeaderValues the value of every such field, in order; empty when there is none
     * @return the agreed extensions, in the order the server listed them
     * @throws ExtensionException the response is not acceptable: fail the connection (RFC 6455 §4.1)
     */
    public List<AgreedExtension> confirm(List<String> responseHeaderValues) throws ExtensionException {
        List<AgreedExtension> agreed = new ArrayList<>();
        int usedRsv = 0;
        for (ExtensionElement response : ExtensionHeader.parse(responseHeaderValues)) {
            Extension extension = find(response.name());
            if (extension == null) {
                throw new ExtensionException("the server answered with extension \"" + response.toHeaderValue()
                        + "\", which was not offered");
            }
            if (isAgreed(agreed, response.name())) {
                throw new ExtensionException("the server answered with extension " + response.name() + " twice");
            }
            AgreedExtension accepted = extension.confirm(response);
            if ((accepted.rsvBits() & usedRsv) != 0) {
                throw new ExtensionException("the server agreed to " + response.name()
                        + ", whose RSV bits another agreed extension already uses");
            }
            usedRsv |= accepted.rsvBits();
            agreed.add(accepted);
        }
        return agreed;
    }

    private Extension find(String name) {
        Objects.requireNonNull(name);
        for (Extension e : supported) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static boolean isAgreed(List<AgreedExtension> agreed, String name) {
        for (AgreedExtension e : agreed) {
            if (e.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
