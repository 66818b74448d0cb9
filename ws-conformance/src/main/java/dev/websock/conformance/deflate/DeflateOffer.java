package dev.websock.conformance.deflate;

import java.util.ArrayList;
import java.util.List;

/**
 * One permessage-deflate extension offer a client sends (RFC 7692 §7.1), written the way Autobahn names its
 * offers: whether the client asks the server not to take over context, which server window it asks for, and
 * whether it lets the server choose the client's window.
 *
 * @param requestServerNoContextTakeover send {@code server_no_context_takeover} (§7.1.1.1)
 * @param requestServerMaxWindowBits     send {@code server_max_window_bits=N} when 8..15; 0 sends nothing (§7.1.2.1)
 * @param offerClientMaxWindowBits       send {@code client_max_window_bits} without a value: the server may
 *                                       then limit the client's window (§7.1.2.2)
 */
public record DeflateOffer(boolean requestServerNoContextTakeover, int requestServerMaxWindowBits,
                           boolean offerClientMaxWindowBits) {

    public DeflateOffer {
        if (requestServerMaxWindowBits != 0 && (requestServerMaxWindowBits < 8 || requestServerMaxWindowBits > 15)) {
            throw new IllegalArgumentException("server_max_window_bits " + requestServerMaxWindowBits + " is not 8..15");
        }
    }

    /** The default offer: {@code permessage-deflate; client_max_window_bits}. */
    public static DeflateOffer standard() {
        return new DeflateOffer(false, 0, true);
    }

    /** The offer as an element of {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1). */
    public String headerElement() {
        List<String> parts = new ArrayList<>();
        parts.add("permessage-deflate");
        if (offerClientMaxWindowBits) {
            parts.add("client_max_window_bits");
        }
        if (requestServerNoContextTakeover) {
            parts.add("server_no_context_takeover");
        }
        if (requestServerMaxWindowBits != 0) {
            parts.add("server_max_window_bits=" + requestServerMaxWindowBits);
        }
        return String.join("; ", parts);
    }

    /** (requestNoContextTakeover, requestMaxWindowBits), as Autobahn's 13.x descriptions show an offer. */
    @Override
    public String toString() {
        return "(" + (requestServerNoContextTakeover ? "True" : "False") + ", " + requestServerMaxWindowBits + ")";
    }
}
