package dev.websock.conformance.cases;

import static dev.websock.conformance.Verdict.FAILED;
import static dev.websock.conformance.Verdict.OK;
import static dev.websock.conformance.Verdict.UNIMPLEMENTED;

import dev.websock.conformance.client.Observation;
import dev.websock.conformance.deflate.DeflateOffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Cases 12 and 13: permessage-deflate (RFC 7692). 12.* sends compressed messages of many sizes, whole and
 * auto-fragmented, from five data sets with the default offer; 13.* repeats the sizes for one data set with
 * each of seven offers (no-context-takeover and window-bits variants, and several offers at once).
 *
 * <p>The runner compresses with {@code java.util.zip} and inflates the server's messages with its own decoder,
 * which checks every back-reference against the window the server agreed to (RFC 7692 §7.1.2.1). A server that
 * declines every offer gets UNIMPLEMENTED, as in Autobahn.
 */
final class CompressionCases {

    /** (payload length, auto-fragment size) as Autobahn's MSG_SIZES; 0: no fragmentation. */
    private static final int[][] SIZES = {{16, 0}, {64, 0}, {256, 0}, {1024, 0}, {4096, 0}, {8192, 0}, {16384, 0},
        {32768, 0}, {65536, 0}, {131072, 0}, {8192, 256}, {16384, 256}, {32768, 256}, {65536, 256}, {131072, 256},
        {131072, 1024}, {131072, 4096}, {131072, 32768}};

    /** The 13.* offers: (server_no_context_takeover, server_max_window_bits), each also offering client_max_window_bits. */
    private static final List<List<DeflateOffer>> OFFERS = List.of(
            List.of(DeflateOffer.standard()),
            List.of(new DeflateOffer(true, 0, true)),
            List.of(new DeflateOffer(false, 8, true)),
            List.of(new DeflateOffer(false, 15, true)),
            List.of(new DeflateOffer(true, 8, true)),
            List.of(new DeflateOffer(true, 15, true)),
            List.of(new DeflateOffer(true, 8, true), new DeflateOffer(true, 0, true), DeflateOffer.standard()));

    private CompressionCases() {}

    static void addTo(CaseCatalog catalog, Limits limits) {
        int count = limits.compressedMessages();
        for (int d = 0; d < CompressionData.count(); d++) {
            int dataSet = d;
            for (int i = 0; i < SIZES.length; i++) {
                int length = SIZES[i][0];
                int fragment = SIZES[i][1];
                CompressionData.DataSet data = CompressionData.get(dataSet);
                catalog.addBulk("12." + (d + 1) + "." + (i + 1), data.description() + " (" + (data.binary() ? "binary"
                                : "utf8") + ", " + data.bytes().length + " bytes): send " + count + " compressed messages "
                                + "each of payload size " + length + ", auto-fragment to " + fragment + " octets. Use "
                                + "default permessage-deflate offer: " + DeflateOffer.standard().headerElement(),
                        "Receive echo'ed messages (with payload as sent), each inflating within the window the server "
                                + "agreed to.", List.of(DeflateOffer.standard()),
                        ctx -> exchange(ctx, dataSet, length, fragment, count));
            }
        }
        for (int o = 0; o < OFFERS.size(); o++) {
            List<DeflateOffer> offers = OFFERS.get(o);
            String offerText = offers.stream().map(DeflateOffer::headerElement).toList().toString();
            for (int i = 0; i < SIZES.length; i++) {
                int length = SIZES[i][0];
                int fragment = SIZES[i][1];
                catalog.addBulk("13." + (o + 1) + "." + (i + 1), "Send " + count + " compressed messages each of payload "
                                + "size " + length + ", auto-fragment to " + fragment + " octets. Use permessage-deflate "
                                + "client offers (requestNoContextTakeover, requestMaxWindowBits): " + offers + " = "
                                + offerText,
                        "Receive echo'ed messages (with payload as sent), each inflating within the window the server "
                                + "agreed to.", offers, ctx -> exchange(ctx, 0, length, fragment, count));
            }
        }
    }

    private static void exchange(CaseContext ctx, int dataSet, int length, int fragment, int count) throws Exception {
        if (ctx.connection().deflate() == null) {
            ctx.decide(UNIMPLEMENTED, "the server accepted none of the permessage-deflate offers");
            return;
        }
        CompressionData.DataSet data = CompressionData.get(dataSet);
        byte[] source = data.bytes();
        ctx.connection().retainObservations(false);
        int pointer = 0;
        for (int i = 0; i < count; i++) {
            if (i == 2) {
                ctx.connection().log().pause(true);
            }
            byte[] message = new byte[length];
            for (int k = 0; k < length; k++) {
                message[k] = source[(pointer + k) % source.length];
            }
            pointer = (pointer + length) % source.length;
            ctx.connection().sendMessage(data.binary(), message, true, fragment);
            Observation.Message echo = ctx.nextMessage(ctx.deadline());
            if (echo == null) {
                ctx.connection().log().pause(false);
                ctx.decide(FAILED, ctx.connection().violation() != null ? ctx.connection().violation()
                        : "no echo for message " + (i + 1) + " of " + count + " in time");
                return;
            }
            if (echo.binary() != data.binary()) {
                ctx.connection().log().pause(false);
                ctx.decide(FAILED, "Echo'ed message type differs from what I sent (got binary " + echo.binary()
                        + ", expected binary " + data.binary() + ").");
                return;
            }
            if (!Arrays.equals(echo.payload(), message)) {
                ctx.connection().log().pause(false);
                ctx.decide(FAILED, "Echo'ed message " + (i + 1) + " differs from what I sent (got length "
                        + echo.payload().length + " SHA-1 " + sha1(echo.payload()) + ", expected length " + length
                        + " SHA-1 " + sha1(message) + ").");
                return;
            }
        }
        ctx.connection().log().pause(false);
        ctx.decide(OK, "Ok, received all " + count + " echo'ed messages in time; negotiated "
                + ctx.connection().deflate() + ".");
    }

    private static String sha1(byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }
}
