package dev.websock.codec.extension;

/**
 * An extension agreed for one connection, with the parameters the handshake settled on. Immutable and
 * thread-safe; the transforms it makes are not.
 */
public interface AgreedExtension {

    /** The extension token. */
    String name();

    /** The RSV bits it owns: allow them in the frame decoder, set them on the first frame of each message it transformed. */
    int rsvBits();

    /** The element of the server's response: what a server sends, or what a client received. */
    ExtensionElement response();

    /**
     * A transform for the messages this endpoint receives. One per connection; close it with the connection.
     *
     * @param maxMessageSize the longest message after the transform (inflated, for permessage-deflate); longer
     *     fails with 1009 before more than this many bytes are produced
     */
    InboundTransform newInbound(long maxMessageSize);

    /** A transform for the messages this endpoint sends. One per connection; close it with the connection. */
    OutboundTransform newOutbound();
}
