package dev.websock.conformance.cases;

import static dev.websock.conformance.Verdict.FAILED;
import static dev.websock.conformance.Verdict.OK;

import dev.websock.conformance.client.Observation;
import dev.websock.conformance.wire.Bytes;
import dev.websock.conformance.wire.Frame;
import dev.websock.conformance.wire.Opcode;
import java.util.Arrays;

/**
 * Case 9: limits and performance: text and binary messages up to 16 MiB sent whole (9.1, 9.2), fragmented at
 * many frame sizes (9.3, 9.4), chopped into small writes (9.5, 9.6), and many small round trips (9.7, 9.8).
 * Reduced limits divide the sizes by 16 and the round trips by 10; the shapes stay.
 */
final class LimitsCases {

    private static final int K = 1024;
    private static final int M = 1024 * 1024;
    private static final int[] WHOLE = {64 * K, 256 * K, M, 4 * M, 8 * M, 16 * M};
    private static final int[] FRAGMENTS = {64, 256, K, 4 * K, 16 * K, 64 * K, 256 * K, M, 4 * M};
    private static final int[] CHOPS = {64, 128, 256, 512, 1024, 2048};
    private static final int[] SMALL = {0, 16, 64, 256, K, 4 * K};

    private LimitsCases() {}

    static void addTo(CaseCatalog catalog, Limits limits) {
        for (int kind = 0; kind < 2; kind++) {
            boolean binary = kind == 1;
            String type = binary ? "binary" : "text";
            for (int i = 0; i < WHOLE.length; i++) {
                int size = limits.size(WHOLE[i]);
                catalog.addBulk("9." + (1 + kind) + "." + (i + 1), "Send " + type + " message with payload length "
                                + size + ".", "Receive echo'ed " + type + " message (with payload as sent).",
                        java.util.List.of(), ctx -> {
                            byte[] payload = payload(binary, size);
                            ctx.expect(OK, message(binary, payload));
                            ctx.send(Frame.of(opcode(binary), payload));
                        });
            }
            for (int i = 0; i < FRAGMENTS.length; i++) {
                int size = limits.size(4 * M);
                int fragment = Math.min(FRAGMENTS[i], size);
                catalog.addBulk("9." + (3 + kind) + "." + (i + 1), "Send fragmented " + type + " message message with "
                                + "message payload of length " + size + " and fragment length " + fragment + ".",
                        "Receive echo'ed " + type + " message (with payload as sent).", java.util.List.of(), ctx -> {
                            byte[] payload = payload(binary, size);
                            ctx.expect(OK, message(binary, payload));
                            ctx.send(CaseContext.fragments(opcode(binary), payload, fragment));
                        });
            }
            for (int i = 0; i < CHOPS.length; i++) {
                int size = limits.size(M);
                int chop = CHOPS[i];
                catalog.addBulk("9." + (5 + kind) + "." + (i + 1), "Send " + type + " message message with payload of "
                                + "length " + size + ". Sent out data in chops of " + chop + " octets.",
                        "Receive echo'ed " + type + " message (with payload as sent).", java.util.List.of(), ctx -> {
                            byte[] payload = payload(binary, size);
                            ctx.expect(OK, message(binary, payload));
                            ctx.sendChopped(chop, Frame.of(opcode(binary), payload));
                        });
            }
            for (int i = 0; i < SMALL.length; i++) {
                int size = SMALL[i];
                int count = limits.count(1000);
                catalog.addBulk("9." + (7 + kind) + "." + (i + 1), "Send " + count + " " + type + " messages of "
                                + "payload size " + size + " to measure implementation/network RTT (round trip time) / "
                                + "latency.", "Receive echo'ed " + type + " messages (with payload as sent).",
                        java.util.List.of(), ctx -> roundTrips(ctx, binary, size, count));
            }
        }
    }

    private static void roundTrips(CaseContext ctx, boolean binary, int size, int count) {
        byte[] payload = payload(binary, size);
        ctx.connection().retainObservations(false);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (i == 2) {
                ctx.connection().log().pause(true);
            }
            ctx.send(Frame.of(opcode(binary), payload));
            Observation.Message m = ctx.nextMessage(ctx.deadline());
            if (m == null) {
                ctx.connection().log().pause(false);
                ctx.decide(FAILED, "no echo for message " + (i + 1) + " of " + count + " in time");
                return;
            }
            if (m.binary() != binary || !Arrays.equals(m.payload(), payload)) {
                ctx.connection().log().pause(false);
                ctx.decide(FAILED, "echo " + (i + 1) + " differs: " + m.describe());
                return;
            }
        }
        ctx.connection().log().pause(false);
        long micros = (System.nanoTime() - start) / 1000;
        ctx.decide(OK, "Ok, received all " + count + " echo'ed messages in time; mean round trip "
                + (micros / Math.max(1, count)) + " µs.");
    }

    private static int opcode(boolean binary) {
        return binary ? Opcode.BINARY : Opcode.TEXT;
    }

    private static Observation message(boolean binary, byte[] payload) {
        return binary ? Observation.binary(payload) : Observation.text(payload);
    }

    static byte[] payload(boolean binary, int size) {
        if (!binary) {
            return Bytes.repeat(Bytes.utf8("BAsd7&jh23"), size);
        }
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8) * 7 + 0xfe); // not all equal: catches shifted or reordered echoes
        }
        return b;
    }
}
