package dev.websock.conformance.cases;

import static dev.websock.conformance.Verdict.NON_STRICT;
import static dev.websock.conformance.Verdict.OK;
import static dev.websock.conformance.cases.CaseContext.frame;
import static dev.websock.conformance.wire.Opcode.CONTINUATION;
import static dev.websock.conformance.wire.Opcode.PING;
import static dev.websock.conformance.wire.Opcode.PONG;
import static dev.websock.conformance.wire.Opcode.TEXT;

import dev.websock.conformance.client.Observation;
import dev.websock.conformance.wire.Bytes;
import dev.websock.conformance.wire.Frame;

/**
 * Case 5: fragmentation (RFC 6455 §5.4): fragmented control frames, continuation rules, control frames inside a
 * fragmented message, and frames chopped into pieces on the wire.
 */
final class FragmentationCases {

    private FragmentationCases() {}

    /** How the octets of a case's frames are written. */
    private enum Chops {
        ONE_CHOP("sent in one chop"), FRAME_WISE("sent in per-frame chops"), OCTET_WISE("sent in octet-wise chops");

        final String words;

        Chops(String words) {
            this.words = words;
        }
    }

    static void addTo(CaseCatalog catalog, Limits limits) {
        String controlFail = "Connection is failed immediately, since control message MUST NOT be fragmented "
                + "(RFC 6455 §5.5).";
        catalog.add("5.1", "Send Ping fragmented into 2 fragments.", controlFail, ctx -> {
            ctx.expectFailure(1002);
            ctx.send(frame(PING, false, "fragment1"), frame(CONTINUATION, true, "fragment2"));
        });
        catalog.add("5.2", "Send Pong fragmented into 2 fragments.", controlFail, ctx -> {
            ctx.expectFailure(1002);
            ctx.send(frame(PONG, false, "fragment1"), frame(CONTINUATION, true, "fragment2"));
        });
        Chops[] chops = Chops.values();
        for (int i = 0; i < 3; i++) {
            Chops c = chops[i];
            catalog.add("5." + (3 + i), "Send text Message fragmented into 2 fragments" + (i == 0 ? "." : ", octets are "
                            + c.words + "."),
                    "Message is processed and echo'ed back to us.", ctx -> {
                        ctx.expect(OK, Observation.text("fragment1fragment2"));
                        send(ctx, c, frame(TEXT, false, "fragment1"), frame(CONTINUATION, true, "fragment2"));
                    });
        }
        for (int i = 0; i < 3; i++) {
            Chops c = chops[i];
            catalog.add("5." + (6 + i), "Send text Message fragmented into 2 fragments, one ping with payload "
                            + "in-between" + (i == 0 ? "." : ". Octets are " + c.words + "."),
                    "A pong is received, then the message is echo'ed back to us (RFC 6455 §5.4: control frames MAY be "
                            + "injected in the middle of a fragmented message).", ctx -> {
                        ctx.expect(OK, Observation.pong(Bytes.utf8("ping payload")), Observation.text("fragment1fragment2"));
                        send(ctx, c, frame(TEXT, false, "fragment1"), frame(PING, true, "ping payload"),
                                frame(CONTINUATION, true, "fragment2"));
                    });
        }
        for (int fin = 1; fin >= 0; fin--) {
            boolean finBit = fin == 1;
            for (int i = 0; i < 3; i++) {
                Chops c = chops[i];
                String id = "5." + (finBit ? 9 + i : 12 + i);
                catalog.add(id, "Send unfragmented Text Message after Continuation Frame with FIN = " + finBit
                                + ", where there is nothing to continue, " + c.words + ".",
                        "The connection is failed immediately, since there is no message to continue (RFC 6455 §5.4).",
                        ctx -> {
                            ctx.expectFailure(1002);
                            send(ctx, c, frame(CONTINUATION, finBit, "non-continuation payload"),
                                    frame(TEXT, true, "Hello, world!"));
                        });
            }
        }
        catalog.add("5.15", "Send text Message fragmented into 2 fragments, then Continuation Frame with FIN = false "
                        + "where there is nothing to continue, then unfragmented Text Message, all sent in one chop.",
                "The connection is failed immediately, since there is no message to continue.", ctx -> {
                    ctx.expect(OK, Observation.text("fragment1fragment2"));
                    ctx.expect(NON_STRICT);
                    ctx.expectClose(ExpectedClose.serverFails(1002));
                    ctx.send(frame(TEXT, false, "fragment1"), frame(CONTINUATION, true, "fragment2"),
                            frame(CONTINUATION, false, "fragment3"), frame(TEXT, true, "fragment4"));
                });
        for (int fin = 0; fin <= 1; fin++) {
            boolean finBit = fin == 1;
            catalog.add("5." + (16 + fin), "Repeated 2x: Continuation Frame with FIN = " + finBit + " (where there is "
                            + "nothing to continue), then text Message fragmented into 2 fragments.",
                    "The connection is failed immediately, since there is no message to continue.", ctx -> {
                        ctx.expectFailure(1002);
                        Frame[] once = {frame(CONTINUATION, finBit, "fragment1"), frame(TEXT, false, "fragment2"),
                            frame(CONTINUATION, true, "fragment3")};
                        ctx.send(once[0], once[1], once[2], once[0], once[1], once[2]);
                    });
        }
        catalog.add("5.18", "Send text Message fragmented into 2 fragments, with both frame opcodes set to text, sent "
                        + "in one chop.",
                "The connection is failed immediately, since all data frames after the initial data frame must have "
                        + "opcode 0 (RFC 6455 §5.4).", ctx -> {
                    ctx.expectFailure(1002);
                    ctx.send(frame(TEXT, false, "fragment1"), frame(TEXT, true, "fragment2"));
                });
        for (int i = 0; i < 2; i++) {
            boolean frameWise = i == 1;
            int pause = limits.pauseMillis();
            catalog.add("5." + (19 + i), (frameWise ? "Same as Case 5.19, but send all frames with SYNC = True (each "
                            + "frame in its own write). " : "")
                            + "A fragmented text message is sent in multiple frames. After sending the first 2 frames "
                            + "of the text message, a Ping is sent. Then we wait " + pause + " ms, then we send 2 more "
                            + "text fragments, another Ping and then the final text fragment. Everything is legal.",
                    "The peer immediately answers the first Ping before it has received the last text message "
                            + "fragment. The peer pong's back the Ping's payload exactly, and echo's the payload of the "
                            + "fragmented message back to us.", ctx -> {
                        ctx.expect(OK, Observation.pong(Bytes.utf8("pongme 1!")), Observation.pong(Bytes.utf8("pongme 2!")),
                                Observation.text("fragment1fragment2fragment3fragment4fragment5"));
                        Chops c = frameWise ? Chops.FRAME_WISE : Chops.ONE_CHOP;
                        send(ctx, c, frame(TEXT, false, "fragment1"), frame(CONTINUATION, false, "fragment2"),
                                frame(PING, true, "pongme 1!"));
                        ctx.pause(pause);
                        send(ctx, c, frame(CONTINUATION, false, "fragment3"), frame(CONTINUATION, false, "fragment4"),
                                frame(PING, true, "pongme 2!"), frame(CONTINUATION, true, "fragment5"));
                    });
        }
    }

    private static void send(CaseContext ctx, Chops chops, Frame... frames) {
        switch (chops) {
            case ONE_CHOP -> ctx.send(frames);
            case FRAME_WISE -> ctx.sendFrameWise(frames);
            case OCTET_WISE -> ctx.sendChopped(1, frames);
        }
    }

}
