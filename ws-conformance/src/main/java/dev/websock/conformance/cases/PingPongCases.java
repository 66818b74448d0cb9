package dev.websock.conformance.cases;

import static dev.websock.conformance.Verdict.OK;

import dev.websock.conformance.client.Observation;
import dev.websock.conformance.wire.Bytes;
import dev.websock.conformance.wire.Frame;
import dev.websock.conformance.wire.Opcode;
import java.util.ArrayList;
import java.util.List;

/** Case 2: pings and pongs (RFC 6455 §5.5.2, §5.5.3): payloads, the 125-byte limit (§5.5), unsolicited pongs. */
final class PingPongCases {

    private PingPongCases() {}

    static void addTo(CaseCatalog catalog) {
        catalog.add("2.1", "Send ping without payload.",
                "Pong (with empty payload) is sent in reply to Ping. Clean close with normal code.",
                ctx -> pingPong(ctx, new byte[0], 0));
        catalog.add("2.2", "Send ping with small text payload.",
                "Pong with payload echo'ed is sent in reply to Ping. Clean close with normal code.",
                ctx -> pingPong(ctx, Bytes.utf8("Hello, world!"), 0));
        catalog.add("2.3", "Send ping with small binary (non UTF-8) payload.",
                "Pong with payload echo'ed is sent in reply to Ping. Clean close with normal code.",
                ctx -> pingPong(ctx, Bytes.hex("00fffefdfcfb00ff"), 0));
        catalog.add("2.4", "Send ping with binary payload of 125 octets.",
                "Pong with payload echo'ed is sent in reply to Ping. Clean close with normal code.",
                ctx -> pingPong(ctx, Bytes.repeat(0xfe, 125), 0));
        catalog.add("2.5", "Send ping with binary payload of 126 octets.",
                "Connection is failed immediately (1002/Protocol Error), since control frames are only allowed to "
                        + "have payload up to and including 125 octets (RFC 6455 §5.5).",
                ctx -> {
                    ctx.expectFailure(1002);
                    ctx.send(Frame.of(Opcode.PING, Bytes.repeat(0xfe, 126)));
                });
        catalog.add("2.6", "Send ping with binary payload of 125 octets, send in octet-wise chops.",
                "Pong with payload echo'ed is sent in reply to Ping. Implementations must be TCP clean. "
                        + "Clean close with normal code.",
                ctx -> pingPong(ctx, Bytes.repeat(0xfe, 125), 1));
        catalog.add("2.7", "Send unsolicited pong without payload. Verify nothing is received. Clean close with normal code.",
                "Nothing (RFC 6455 §5.5.3: a pong may be sent unsolicited; no response is expected).",
                ctx -> {
                    ctx.expect(OK);
                    ctx.send(Frame.of(Opcode.PONG, new byte[0]));
                });
        catalog.add("2.8", "Send unsolicited pong with payload. Verify nothing is received. Clean close with normal code.",
                "Nothing (RFC 6455 §5.5.3).",
                ctx -> {
                    ctx.expect(OK);
                    ctx.send(Frame.of(Opcode.PONG, Bytes.utf8("unsolicited pong payload")));
                });
        catalog.add("2.9", "Send unsolicited pong with payload. Send ping with payload. Verify pong for ping is received.",
                "Nothing in reply to own Pong, but Pong with payload echo'ed in reply to Ping. Clean close with normal code.",
                ctx -> {
                    ctx.expect(OK, Observation.pong(Bytes.utf8("ping payload")));
                    ctx.send(Frame.of(Opcode.PONG, Bytes.utf8("unsolicited pong payload")),
                            Frame.of(Opcode.PING, Bytes.utf8("ping payload")));
                });
        catalog.add("2.10", "Send 10 Pings with payload.",
                "Pongs for our Pings with all the payloads. Note: This is not required by the Spec .. but we check "
                        + "for this behaviour anyway. Clean close with normal code.",
                ctx -> tenPings(ctx, 0));
        catalog.add("2.11", "Send 10 Pings with payload. Send out octets in octet-wise chops.",
                "Pongs for our Pings with all the payloads. Note: This is not required by the Spec .. but we check "
                        + "for this behaviour anyway. Clean close with normal code.",
                ctx -> tenPings(ctx, 1));
    }

    private static void pingPong(CaseContext ctx, byte[] payload, int chop) {
        ctx.expect(OK, Observation.pong(payload));
        ctx.sendChopped(chop, Frame.of(Opcode.PING, payload));
    }

    private static void tenPings(CaseContext ctx, int chop) {
        List<Observation> pongs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] payload = Bytes.utf8("payload-" + i);
            pongs.add(Observation.pong(payload));
            ctx.sendChopped(chop, Frame.of(Opcode.PING, payload));
        }
        ctx.expect(OK, pongs);
    }
}
