package dev.websock.conformance.deflate;

import java.util.List;
import java.util.Locale;

/**
 * What the server agreed to in its {@code Sec-WebSocket-Extensions} response (RFC 7692 §7.1).
 *
 * @param serverNoContextTakeover the server resets its compression context after each message (§7.1.1.1)
 * @param clientNoContextTakeover the runner must reset its compression context after each message (§7.1.1.2)
 * @param serverMaxWindowBits     the server's LZ77 window, 8..15; 15 when the response does not limit it
 * @param clientMaxWindowBits     the runner's LZ77 window, 8..15; 15 when the response does not limit it
 */
public record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                int serverMaxWindowBits, int clientMaxWindowBits) {

    /**
     * Parses the parameters of one {@code permessage-deflate} response element and checks them against the
     * offers the runner made (§7.1: the server must accept one offer; it may add {@code client_no_context_takeover}
     * or {@code server_no_context_takeover} freely, may add {@code server_max_window_bits} freely, but may send
     * {@code client_max_window_bits} only if an offer had it, and never a window above an offered one).
     *
     * @param params the element's parameters after the extension name, e.g. {@code ["server_no_context_takeover"]}
     * @throws IllegalArgumentException with a message naming the broken rule
     */
    public static DeflateParameters fromResponse(List<String> params, List<DeflateOffer> offers) {
        boolean snct = false;
        boolean cnct = false;
        int smwb = 15;
        int cmwb = 15;
        boolean sawSmwb = false;
        boolean sawCmwb = false;
        for (String raw : params) {
            String p = raw.trim();
            String name = p;
            String value = null;
            int eq = p.indexOf('=');
            if (eq >= 0) {
                name = p.substring(0, eq).trim();
                value = p.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
            }
            switch (name.toLowerCase(Locale.ROOT)) {
                case "server_no_context_takeover" -> {
                    requireNoValue(name, value);
                    snct = once(snct, name);
                }
                case "client_no_context_takeover" -> {
                    requireNoValue(name, value);
                    cnct = once(cnct, name);
                }
                case "server_max_window_bits" -> {
                    sawSmwb = once(sawSmwb, name);
                    smwb = windowBits(name, value);
                }
                case "client_max_window_bits" -> {
                    sawCmwb = once(sawCmwb, name);
                    cmwb = windowBits(name, value);
                }
                default -> throw new IllegalArgumentException("unknown permessage-deflate parameter '" + p
                        + "' in the response (RFC 7692 §7.1: the client must fail the connection)");
            }
        }
        for (DeflateOffer offer : offers) {
            boolean fits = (!sawCmwb || offer.offerClientMaxWindowBits())
                    && (!offer.requestServerNoContextTakeover() || snct)
                    && (offer.requestServerMaxWindowBits() == 0 || (sawSmwb && smwb <= offer.requestServerMaxWindowBits()));
            if (fits) {
                return new DeflateParameters(snct, cnct, smwb, cmwb);
            }
        }
        String why = "";
        DeflateOffer first = offers.getFirst();
        if (sawCmwb && !first.offerClientMaxWindowBits()) {
            why = ": client_max_window_bits was not offered (RFC 7692 §7.1.2.2)";
        } else if (first.requestServerNoContextTakeover() && !snct) {
            why = ": the offer asked for server_no_context_takeover and a server that accepts it must answer with it "
                    + "(RFC 7692 §7.1.1.1)";
        } else if (first.requestServerMaxWindowBits() != 0) {
            why = ": the offer asked for server_max_window_bits=" + first.requestServerMaxWindowBits() + "; a server that "
                    + "accepts it must answer with server_max_window_bits of the same or a smaller value, or decline "
                    + "the offer (RFC 7692 §7.1.2.1)";
        }
        throw new IllegalArgumentException("the response 'permessage-deflate" + (params.isEmpty() ? "" : "; "
                + String.join("; ", params)) + "' does not accept any offer the runner made" + why);
    }

    private static void requireNoValue(String name, String value) {
        if (value != null) {
            throw new IllegalArgumentException(name + " must not have a value (RFC 7692 §7.1.1)");
        }
    }

    private static boolean once(boolean seen, String name) {
        if (seen) {
            throw new IllegalArgumentException(name + " appears twice (RFC 7692 §7.1)");
        }
        return true;
    }

    private static int windowBits(String name, String value) {
        if (value == null || !value.matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException(name + " in a response needs a value 8..15 (RFC 7692 §7.1.2), got "
                    + value);
        }
        int bits = Integer.parseInt(value);
        if (bits < 8 || bits > 15) {
            throw new IllegalArgumentException(name + "=" + bits + " is not 8..15 (RFC 7692 §7.1.2)");
        }
        return bits;
    }

    @Override
    public String toString() {
        return "server_no_context_takeover=" + serverNoContextTakeover + ", client_no_context_takeover="
                + clientNoContextTakeover + ", server_max_window_bits=" + serverMaxWindowBits
                + ", client_max_window_bits=" + clientMaxWindowBits;
    }
}
