package dev.websock.conformance.cases;

import static dev.websock.conformance.Verdict.NON_STRICT;
import static dev.websock.conformance.Verdict.OK;
import static dev.websock.conformance.cases.CaseContext.frame;
import static dev.websock.conformance.wire.Opcode.CLOSE;
import static dev.websock.conformance.wire.Opcode.CONTINUATION;
import static dev.websock.conformance.wire.Opcode.PING;
import static dev.websock.conformance.wire.Opcode.TEXT;

import dev.websock.conformance.client.Observation;
import dev.websock.conformance.wire.Bytes;
import dev.websock.conformance.wire.Frame;

/**
 * Case 7: close handling (RFC 6455 §5.5.1, §7): data after close, close payload sizes, valid and invalid close
 * codes (§7.4), and invalid UTF-8 in the close reason.
 */
final class CloseCases {

    private static final int[] VALID_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000,
        4999};
    private static final int[] INVALID_CODES = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};

    private CloseCases() {}

    static void addTo(CaseCatalog catalog) {
        String cleanClose = "Clean close with normal code.";
        catalog.add("7.1.1", "Send a message followed by a close frame",
                "Echoed message followed by clean close with normal code.", ctx -> {
                    ctx.expect(OK, Observation.text("Hello World!"));
                    ctx.send(CaseContext.text("Hello World!"));
                    ctx.sendClose(1000, "");
                });
        catalog.add("7.1.2", "Send two close frames",
                "Clean close with normal code. Second close frame ignored (RFC 6455 §5.5.1: no frames after close).",
                ctx -> {
                    ctx.expect(OK);
                    ctx.sendClose(1000, "");
                    ctx.sendClose(1000, "");
                });
        catalog.add("7.1.3", "Send a ping after close message",
                "Clean close with normal code, no pong (the server must not process data after the close frame).",
                ctx -> {
                    ctx.expect(OK);
                    ctx.sendClose(1000, "");
                    ctx.send(Frame.of(PING, Bytes.utf8("Hello World!")));
                });
        catalog.add("7.1.4", "Send text message after sending a close frame",
                "Clean close with normal code. Text message ignored.", ctx -> {
                    ctx.expect(OK);
                    ctx.sendClose(1000, "");
                    ctx.send(CaseContext.text("Hello World!"));
                });
        catalog.add("7.1.5", "Send message fragment1 followed by close then fragment",
                "Clean close with normal code.", ctx -> {
                    ctx.expect(OK);
                    ctx.send(frame(TEXT, false, "fragment1"));
                    ctx.sendClose(1000, "");
                    ctx.send(frame(CONTINUATION, true, "fragment2"));
                });
        catalog.add("7.1.6", "Send 256K message followed by close then a ping",
                "Case outcome depends on implementation defined close behavior. Message and close frame are sent back "
                        + "to back. If the close frame is processed before the text message write is complete (as can "
                        + "happen in asynchronous processing models) the close frame is processed first and the text "
                        + "message may not be received or may only be partially received.", ctx -> {
                    byte[] big = Bytes.repeat(Bytes.utf8("BAsd7&jh23"), 256 * 1024);
                    ctx.expect(OK, Observation.text(big), Observation.text("Hello World!"));
                    ctx.expect(NON_STRICT);
                    ctx.expectClose(ExpectedClose.informationalClose());
                    ctx.send(frame(TEXT, true, big), CaseContext.text("Hello World!"));
                    ctx.sendClose(1000, "");
                    ctx.send(Frame.of(PING, new byte[0]));
                });
        catalog.add("7.3.1", "Send a close frame with payload length 0 (no close code, no close reason)",
                cleanClose, ctx -> {
                    ctx.expect(OK);
                    ctx.sendClose(null, "");
                });
        catalog.add("7.3.2", "Send a close frame with payload length 1",
                "Clean close with protocol error or drop TCP (RFC 6455 §5.5.1: a body, if present, starts with a 2-byte "
                        + "code). This runner requires the close frame with 1002.", ctx -> {
                    ctx.expect(OK);
                    ctx.expectClose(ExpectedClose.runnerCloses(1002));
                    ctx.send(Frame.of(CLOSE, Bytes.utf8("a")));
                });
        catalog.add("7.3.3", "Send a close frame with payload length 2 (regular close with a code)", cleanClose, ctx -> {
            ctx.expect(OK);
            ctx.sendClose(1000, "");
        });
        catalog.add("7.3.4", "Send a close frame with close code and close reason", cleanClose, ctx -> {
            ctx.expect(OK);
            ctx.sendClose(1000, "Hello World!");
        });
        catalog.add("7.3.5", "Send a close frame with close code and close reason of maximum length (123)", cleanClose,
                ctx -> {
                    ctx.expect(OK);
                    ctx.sendClose(1000, "*".repeat(123));
                });
        catalog.add("7.3.6", "Send a close frame with close code and close reason which is too long (124) - total "
                        + "frame payload 126 octets",
                "Clean close with protocol error code or dropped TCP connection (RFC 6455 §5.5: control frame payloads "
                        + "are at most 125 octets). This runner requires the close frame with 1002.", ctx -> {
                    ctx.expect(OK);
                    ctx.expectClose(ExpectedClose.runnerCloses(1002));
                    ctx.sendClose(1000, "*".repeat(124));
                });
        catalog.add("7.5.1", "Send a close frame with invalid UTF8 payload",
                "Clean close with protocol error or invalid utf8 code or dropped TCP (RFC 6455 §5.5.1, §8.1). "
                        + "This runner requires a close frame with 1007 (or 1002).", ctx -> {
                    ctx.expect(OK);
                    ctx.expectClose(ExpectedClose.runnerCloses(1007, 1002));
                    ctx.send(Frame.of(CLOSE, Bytes.concat(Bytes.hex("03e8"),
                            Bytes.hex(Utf8Vectors.KOSME + "eda080656469746564"))));
                });
        for (int i = 0; i < VALID_CODES.length; i++) {
            int code = VALID_CODES[i];
            catalog.add("7.7." + (i + 1), "Send close with valid close code " + code,
                    "Clean close with normal or echoed code", ctx -> {
                        ctx.expect(OK);
                        ctx.expectClose(ExpectedClose.runnerCloses(1000, code).failingOnWrongCode());
                        ctx.sendClose(code, "");
                    });
        }
        for (int i = 0; i < INVALID_CODES.length; i++) {
            int code = INVALID_CODES[i];
            catalog.add("7.9." + (i + 1), "Send close with invalid close code " + code,
                    "Clean close with protocol error code (RFC 6455 §7.4.1, §7.4.2); Autobahn also accepts a dropped "
                            + "TCP connection, this runner requires the close frame.", ctx -> {
                        ctx.expect(OK);
                        ctx.expectClose(ExpectedClose.runnerCloses(1002).failingOnWrongCode());
                        ctx.sendClose(code, "");
                    });
        }
        int[] unassigned = {5000, 65535};
        for (int i = 0; i < unassigned.length; i++) {
            int code = unassigned[i];
            catalog.add("7.13." + (i + 1), "Send close with close code " + code,
                    "Actual events are undefined by the spec (codes above 4999 are not assigned).", ctx -> {
                        ctx.expect(OK);
                        ctx.expectClose(ExpectedClose.informationalClose());
                        ctx.sendClose(code, "");
                    });
        }
    }
}
