package dev.websock.conformance.cases;

import static dev.websock.conformance.Verdict.NON_STRICT;
import static dev.websock.conformance.Verdict.OK;

import dev.websock.conformance.client.Observation;
import dev.websock.conformance.wire.Bytes;
import dev.websock.conformance.wire.Frame;
import dev.websock.conformance.wire.Opcode;

/**
 * Case 4: reserved opcodes (RFC 6455 §5.2: "If an unknown opcode is received, the receiving endpoint MUST _Fail
 * the WebSocket Connection_"), non-control 3-7 (4.1.*) and control 11-15 (4.2.*).
 */
final class ReservedOpcodeCases {

    private ReservedOpcodeCases() {}

    static void addTo(CaseCatalog catalog) {
        int[][] groups = {{3, 4, 5, 6, 7}, {11, 12, 13, 14, 15}};
        for (int g = 0; g < 2; g++) {
            String kind = g == 0 ? "non-control" : "control";
            for (int i = 0; i < 5; i++) {
                int opcode = groups[g][i];
                String id = "4." + (g + 1) + "." + (i + 1);
                String fail = "The connection is failed immediately (1002/Protocol Error), since reserved opcode "
                        + opcode + " is used (RFC 6455 §5.2).";
                switch (i) {
                    case 0 -> catalog.add(id, "Send frame with reserved " + kind + " Opcode = " + opcode + ".", fail,
                            ctx -> {
                                ctx.expectFailure(1002);
                                ctx.send(Frame.of(opcode, new byte[0]));
                            });
                    case 1 -> catalog.add(id, "Send frame with reserved " + kind + " Opcode = " + opcode
                            + " and non-empty payload.", fail, ctx -> {
                                ctx.expectFailure(1002);
                                ctx.send(Frame.of(opcode, Bytes.utf8("reserved opcode payload")));
                            });
                    default -> {
                        boolean withPayload = i > 2;
                        catalog.add(id, "Send small text message, then send frame with reserved " + kind + " Opcode = "
                                        + opcode + (withPayload ? " and non-empty payload" : "") + ", then send Ping.",
                                "Echo for first message is received, but then connection is failed immediately, since "
                                        + "reserved opcode frame is used. A Pong is not received.",
                                ctx -> {
                                    ctx.expect(OK, Observation.text("Hello, world!"));
                                    ctx.expect(NON_STRICT);
                                    ctx.expectClose(ExpectedClose.serverFails(1002));
                                    ctx.send(CaseContext.text("Hello, world!"),
                                            Frame.of(opcode, withPayload ? Bytes.utf8("reserved opcode payload") : new byte[0]),
                                            Frame.of(Opcode.PING, Bytes.utf8("Hello, world!")));
                                });
                    }
                }
            }
        }
    }
}
