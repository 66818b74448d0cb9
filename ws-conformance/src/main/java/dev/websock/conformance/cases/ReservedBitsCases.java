package dev.websock.conformance.cases;

import static dev.websock.conformance.Verdict.NON_STRICT;
import static dev.websock.conformance.Verdict.OK;

import dev.websock.conformance.cases.CaseContext;
import dev.websock.conformance.client.Observation;
import dev.websock.conformance.wire.Bytes;
import dev.websock.conformance.wire.Frame;
import dev.websock.conformance.wire.Opcode;

/**
 * Case 3: reserved bits (RFC 6455 §5.2: "If a nonzero value is received and none of the negotiated extensions
 * defines the meaning of such a nonzero value, the receiving endpoint MUST _Fail the WebSocket Connection_").
 */
final class ReservedBitsCases {

    private static final String FAIL = "The connection is failed immediately (1002/Protocol Error), since RSV must be 0 "
            + "when no extension defining RSV meaning has been negotiated (RFC 6455 §5.2).";

    private ReservedBitsCases() {}

    static void addTo(CaseCatalog catalog) {
        catalog.add("3.1", "Send small text message with RSV = 1.", FAIL, ctx -> {
            ctx.expectFailure(1002);
            ctx.send(CaseContext.text("Hello, world!").withRsv(1));
        });
        catalog.add("3.2", "Send small text message, then send again with RSV = 2, then send Ping.",
                "Echo for first message is received, but then connection is failed immediately, since RSV must be 0 "
                        + "when no extension defining RSV meaning has been negotiated. The Pong is not received.",
                ctx -> echoThenBad(ctx, 2, 0));
        catalog.add("3.3", "Send small text message, then send again with RSV = 3, then send Ping. Octets are sent "
                        + "in frame-wise chops.",
                "Echo for first message is received, but then connection is failed immediately, since RSV must be 0 "
                        + "when no extension defining RSV meaning has been negotiated. The Pong is not received.",
                ctx -> echoThenBad(ctx, 3, -1));
        catalog.add("3.4", "Send small text message, then send again with RSV = 4, then send Ping. Octets are sent "
                        + "in octet-wise chops.",
                "Echo for first message is received, but then connection is failed immediately, since RSV must be 0 "
                        + "when no extension defining RSV meaning has been negotiated. The Pong is not received.",
                ctx -> echoThenBad(ctx, 4, 1));
        catalog.add("3.5", "Send small binary message with RSV = 5.", FAIL, ctx -> {
            ctx.expectFailure(1002);
            ctx.send(Frame.of(Opcode.BINARY, Bytes.hex("00fffefdfcfb00ff")).withRsv(5));
        });
        catalog.add("3.6", "Send Ping with RSV = 6.", FAIL, ctx -> {
            ctx.expectFailure(1002);
            ctx.send(Frame.of(Opcode.PING, Bytes.utf8("Hello, world!")).withRsv(6));
        });
        catalog.add("3.7", "Send Close with RSV = 7.", FAIL, ctx -> {
            ctx.expectFailure(1002);
            ctx.send(Frame.of(Opcode.CLOSE, Bytes.hex("03e8")).withRsv(7));
        });
    }

    /** chop 0: one write; -1: frame-wise; n: writes of n octets. */
    static void echoThenBad(CaseContext ctx, int rsv, int chop) {
        ctx.expect(OK, Observation.text("Hello, world!"));
        ctx.expect(NON_STRICT);
        ctx.expectClose(ExpectedClose.serverFails(1002));
        Frame[] frames = {CaseContext.text("Hello, world!"), CaseContext.text("Hello, world!").withRsv(rsv),
            Frame.of(Opcode.PING, Bytes.utf8("Hello, world!"))};
        if (chop < 0) {
            ctx.sendFrameWise(frames);
        } else {
            ctx.sendChopped(chop, frames);
        }
    }
}
