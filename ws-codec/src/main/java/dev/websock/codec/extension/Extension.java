package dev.websock.codec.extension;

/**
 * An extension this endpoint supports (RFC 6455 §9), configured once and shared by all connections: it
 * negotiates, per connection, an {@link AgreedExtension} that transforms that connection's messages.
 * {@link PerMessageDeflate} is the implementation.
 *
 * <p>Implementations are immutable and thread-safe. {@link ExtensionNegotiation} calls them for a whole
 * header; they can also be called for one element.
 */
public interface Extension {

    /** The registered extension token, such as {@code permessage-deflate}. */
    String name();

    /**
     * The RSV bits ({@code 0x40}, {@code 0x20}, {@code 0x10}) this extension gives a meaning to; the frame
     * decoder must accept them once it is agreed (RFC 6455 §5.2).
     */
    int rsvBits();

    /**
     * Server role: accepts one offer for this extension, or declines it.
     *
     * @param offer an element named {@link #name()}, possibly malformed
     * @return the agreement, whose {@link AgreedExtension#response()} goes in the response header
     * @throws ExtensionException the offer is declined: malformed, an unknown, duplicate or invalid
     *     parameter, or a configuration this endpoint does not support; the message says which
     */
    AgreedExtension accept(ExtensionElement offer) throws ExtensionException;

    /** Client role: the element this client offers. */
    ExtensionElement offer();

    /**
     * Client role: checks the server's response to {@link #offer()}.
     *
     * @throws ExtensionException the response is not acceptable; the client must fail the connection
     */
    AgreedExtension confirm(ExtensionElement response) throws ExtensionException;
}
