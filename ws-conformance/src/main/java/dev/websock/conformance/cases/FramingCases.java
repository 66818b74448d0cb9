package dev.websock.conformance.cases;

import static dev.websock.conformance.Verdict.OK;

import dev.websock.conformance.client.Observation;
import dev.websock.conformance.wire.Bytes;
import dev.websock.conformance.wire.Frame;
import dev.websock.conformance.wire.Opcode;

/** Case 1: text and binary messages of the lengths where the length encoding changes (RFC 6455 §5.2). */
final class FramingCases {

    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};

    private FramingCases() {}

    static void addTo(CaseCatalog catalog) {
        for (int kind = 1; kind <= 2; kind++) {
            boolean binary = kind == 2;
            String type = binary ? "binary" : "text";
            for (int i = 0; i < LENGTHS.length; i++) {
                int length = LENGTHS[i];
                catalog.add("1." + kind + "." + (i + 1), "Send " + type + " message with payload " + length + ".",
                        "Receive echo'ed " + type + " message (with payload as sent). Clean close with normal code.",
                        ctx -> echo(ctx, binary, length, 0));
            }
            catalog.add("1." + kind + ".8", "Send " + type + " message message with payload of length 65536. "
                            + "Sent out data in chops of 997 octets.",
                    "Receive echo'ed " + type + " message (with payload as sent). Clean close with normal code.",
                    ctx -> echo(ctx, binary, 65536, 997));
        }
    }

    private static void echo(CaseContext ctx, boolean binary, int length, int chop) {
        byte[] payload = binary ? Bytes.repeat(0xfe, length) : Bytes.repeat('*', length);
        ctx.expect(OK, binary ? Observation.binary(payload) : Observation.text(payload));
        ctx.sendChopped(chop, Frame.of(binary ? Opcode.BINARY : Opcode.TEXT, payload));
    }
}
