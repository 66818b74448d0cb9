package dev.websock.codec.extension;

import dev.websock.codec.Role;
import java.util.Objects;

/**
 * The permessage-deflate parameters one connection agreed on (RFC 7692 §7.1), in the RFC's server/client
 * terms, and the transforms they call for.
 *
 * @param settings this endpoint's configuration
 * @param role which end this endpoint is
 * @param serverNoContextTakeover the server compresses each message on its own (§7.1.1.1)
 * @param clientNoContextTakeover the client compresses each message on its own (§7.1.1.2)
 * @param serverMaxWindowBits the largest window the server compresses with, 8-15 (§7.1.2.1); for a server, the
 *     window it uses
 * @param clientMaxWindowBits the largest window the client compresses with, 8-15 (§7.1.2.2); for a client, the
 *     window it uses
 * @param response the response element: sent by a server, received by a client
 */
public record DeflateAgreement(PerMessageDeflate settings, Role role, boolean serverNoContextTakeover,
        boolean clientNoContextTakeover, int serverMaxWindowBits, int clientMaxWindowBits, ExtensionElement response)
        implements AgreedExtension {

    public DeflateAgreement {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(response, "response");
    }

    @Override
    public String name() {
        return PerMessageDeflate.NAME;
    }

    @Override
    public int rsvBits() {
        return 0x40;
    }

    /** The window this endpoint compresses with. */
    public int ownWindowBits() {
        return role == Role.SERVER ? serverMaxWindowBits : clientMaxWindowBits;
    }

    /** Whether this endpoint resets its compressor after each message. */
    public boolean ownNoContextTakeover() {
        return role == Role.SERVER ? serverNoContextTakeover : clientNoContextTakeover;
    }

    /** Whether the peer resets its compressor after each message, so this endpoint's inflater may too. */
    public boolean peerNoContextTakeover() {
        return role == Role.SERVER ? clientNoContextTakeover : serverNoContextTakeover;
    }

    /** An inflater for received messages; see {@link MessageInflater}. */
    @Override
    public MessageInflater newInbound(long maxMessageSize) {
        return new MessageInflater(maxMessageSize, peerNoContextTakeover(), settings.inflaters());
    }

    /** A deflater for sent messages; see {@link MessageDeflater}. */
    @Override
    public MessageDeflater newOutbound() {
        return new MessageDeflater(settings, ownWindowBits(), ownNoContextTakeover());
    }
}
