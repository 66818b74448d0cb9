package dev.websock.conformance.cases;

import static dev.websock.conformance.Verdict.NON_STRICT;
import static dev.websock.conformance.Verdict.OK;
import static dev.websock.conformance.cases.CaseContext.frame;
import static dev.websock.conformance.wire.Opcode.CONTINUATION;
import static dev.websock.conformance.wire.Opcode.TEXT;

import dev.websock.conformance.client.Observation;
import dev.websock.conformance.wire.Bytes;
import java.util.Arrays;

/**
 * Case 6: UTF-8 in text messages (RFC 6455 §8.1: "When an endpoint is to interpret a byte stream as UTF-8 but
 * finds that the byte stream is not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket
 * Connection_", with 1007 per §7.4.1): empty and fragmented messages, valid text split inside code points,
 * invalid text, the fail-fast requirement, and the stress-test vectors.
 */
final class Utf8Cases {

    private Utf8Cases() {}

    static void addTo(CaseCatalog catalog, Limits limits) {
        String echo = "The message is echo'ed back to us.";
        catalog.add("6.1.1", "Send text message of length 0.",
                "A message is echo'ed back to us (with empty payload).", ctx -> {
                    ctx.expect(OK, Observation.text(""));
                    ctx.send(frame(TEXT, true, ""));
                });
        catalog.add("6.1.2", "Send fragmented text message, 3 fragments each of length 0.",
                "A message is echo'ed back to us (with empty payload).", ctx -> {
                    ctx.expect(OK, Observation.text(""));
                    ctx.send(frame(TEXT, false, ""), frame(CONTINUATION, false, ""), frame(CONTINUATION, true, ""));
                });
        catalog.add("6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0, middle non-empty.",
                "A message is echo'ed back to us (with payload = payload of middle fragment).", ctx -> {
                    ctx.expect(OK, Observation.text("middle frame payload"));
                    ctx.send(frame(TEXT, false, ""), frame(CONTINUATION, false, "middle frame payload"),
                            frame(CONTINUATION, true, ""));
                });
        byte[] hello = Bytes.utf8("Hello-µ@ßöäüàá-UTF-8!!");
        catalog.add("6.2.1", "Send a valid UTF-8 text message in one fragment. MESSAGE: " + Bytes.toHex(hello),
                echo, ctx -> {
                    ctx.expect(OK, Observation.text(hello));
                    ctx.send(frame(TEXT, true, hello));
                });
        byte[] part1 = Bytes.utf8("Hello-µ@ßöä");
        byte[] part2 = Bytes.utf8("üàá-UTF-8!!");
        catalog.add("6.2.2", "Send a valid UTF-8 text message in two fragments, fragmented on UTF-8 code point "
                + "boundary. MESSAGE: " + Bytes.toHex(part1) + " | " + Bytes.toHex(part2), echo, ctx -> {
                    ctx.expect(OK, Observation.text(Bytes.concat(part1, part2)));
                    ctx.send(frame(TEXT, false, part1), frame(CONTINUATION, true, part2));
                });
        catalog.add("6.2.3", "Send a valid UTF-8 text message in fragments of 1 octet, resulting in frames ending on "
                + "positions which are not code point ends. MESSAGE: " + Bytes.toHex(hello), echo, ctx -> {
                    ctx.expect(OK, Observation.text(hello));
                    ctx.send(CaseContext.fragments(TEXT, hello, 1));
                });
        byte[] kosme = Bytes.hex(Utf8Vectors.KOSME);
        catalog.add("6.2.4", "Send a valid UTF-8 text message in fragments of 1 octet, resulting in frames ending on "
                + "positions which are not code point ends. MESSAGE: κόσμε " + Utf8Vectors.KOSME, echo, ctx -> {
                    ctx.expect(OK, Observation.text(kosme));
                    ctx.send(CaseContext.fragments(TEXT, kosme, 1));
                });
        byte[] invalid = Bytes.hex(Utf8Vectors.KOSME + "eda080" + "656469746564");
        String failInvalid = "The connection is failed immediately with 1007, since the payload is not valid UTF-8 "
                + "(RFC 6455 §8.1).";
        catalog.add("6.3.1", "Send invalid UTF-8 text message unfragmented. MESSAGE: " + Bytes.toHex(invalid),
                failInvalid, ctx -> {
                    ctx.expectFailure(1007);
                    ctx.send(frame(TEXT, true, invalid));
                });
        catalog.add("6.3.2", "Send invalid UTF-8 text message in fragments of 1 octet. MESSAGE: " + Bytes.toHex(invalid),
                failInvalid, ctx -> {
                    ctx.expectFailure(1007);
                    ctx.send(CaseContext.fragments(TEXT, invalid, 1));
                });
        failFast(catalog, limits, "6.4.1", true, Utf8Vectors.KOSME, "f4908080", "656469746564",
                "2nd frame which contains the payload making the sequence invalid (0x110000 in the UTF-8 integer "
                        + "encoding scheme: out of range)");
        failFast(catalog, limits, "6.4.2", true, Utf8Vectors.KOSME + "f4", "90", "8080656469746564",
                "2nd frame which contains exactly 1 byte making the sequence invalid");
        failFast(catalog, limits, "6.4.3", false, Utf8Vectors.KOSME, "f4908080", "656469746564",
                "2nd chop with the part making the sequence invalid");
        failFast(catalog, limits, "6.4.4", false, Utf8Vectors.KOSME + "f4", "90", "8080656469746564",
                "2nd chop which contains exactly 1 byte making the sequence invalid");
        int category = 5;
        for (Utf8Vectors.Group group : Utf8Vectors.groups()) {
            int n = 1;
            for (Utf8Vectors.Vector v : group.vectors()) {
                String id = "6." + category + "." + n++;
                byte[] payload = v.bytes();
                if (v.valid()) {
                    catalog.add(id, group.title() + ": send a text message with payload which is valid UTF-8 in one "
                            + "fragment. Payload: 0x" + Bytes.toHex(payload), echo, ctx -> {
                                ctx.expect(OK, Observation.text(payload));
                                ctx.send(frame(TEXT, true, payload));
                            });
                } else {
                    catalog.add(id, group.title() + ": send a text message with payload which is not valid UTF-8 in "
                            + "one fragment. Payload: 0x" + Bytes.toHex(payload),
                            "The connection is failed immediately, since the payload is not valid UTF-8.", ctx -> {
                                ctx.expectFailure(1007);
                                ctx.send(frame(TEXT, true, payload));
                            });
                }
            }
            category++;
        }
    }

    /**
     * 6.4.*: an invalid text message sent in three parts with pauses between. The server should fail the
     * connection as soon as the invalid part arrives (OK); failing only once the message is complete is right but
     * late (NON-STRICT). Marker A: open after the valid first part; B: still open after the invalid part.
     *
     * @param frames true: the parts are three frames; false: one frame written in three chops
     */
    private static void failFast(CaseCatalog catalog, Limits limits, String id, boolean frames, String p1, String p2,
                                 String p3, String what) {
        int pause = limits.pauseMillis();
        String description = "Send invalid UTF-8 text message in " + (frames ? "3 fragments (frames)" : "1 frame, but in "
                + "3 chops") + ". First " + (frames ? "frame payload" : "chop (header and first part)") + " is valid, "
                + "then wait " + pause + " ms, then " + what + ", then wait " + pause + " ms, then the rest. PARTS: "
                + p1 + " | " + p2 + " | " + p3;
        catalog.add(id, description, "The first part is accepted (marker A). The part making the sequence invalid "
                + "should be rejected immediately, failing the connection with 1007 (fail fast: OK). If the server fails "
                + "only after the complete message (marker B), it is NON-STRICT.", ctx -> {
                    ctx.expect(OK, Observation.marker("A"));
                    ctx.expect(NON_STRICT, Observation.marker("A"), Observation.marker("B"));
                    ctx.expectClose(ExpectedClose.serverFails(1007));
                    byte[] a = Bytes.hex(p1);
                    byte[] b = Bytes.hex(p2);
                    byte[] c = Bytes.hex(p3);
                    if (frames) {
                        ctx.send(frame(TEXT, false, a));
                        ctx.pause(pause);
                        if (ctx.markIfOpen("A")) {
                            ctx.send(frame(CONTINUATION, false, b));
                            ctx.pause(pause);
                            if (ctx.markIfOpen("B")) {
                                ctx.send(frame(CONTINUATION, true, c));
                            }
                        }
                    } else {
                        byte[] octets = ctx.connection().encode(frame(TEXT, true, Bytes.concat(a, b, c)));
                        int header = octets.length - a.length - b.length - c.length;
                        int cut1 = header + a.length;
                        int cut2 = cut1 + b.length;
                        ctx.connection().writeRaw(Arrays.copyOfRange(octets, 0, cut1), "chop 1: header and part 1");
                        ctx.pause(pause);
                        if (ctx.markIfOpen("A")) {
                            ctx.connection().writeRaw(Arrays.copyOfRange(octets, cut1, cut2), "chop 2: part 2");
                            ctx.pause(pause);
                            if (ctx.markIfOpen("B")) {
                                ctx.connection().writeRaw(Arrays.copyOfRange(octets, cut2, octets.length),
                                        "chop 3: part 3");
                            }
                        }
                    }
                });
    }
}
