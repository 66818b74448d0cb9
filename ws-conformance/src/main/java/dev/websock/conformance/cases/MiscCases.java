package dev.websock.conformance.cases;

import static dev.websock.conformance.Verdict.OK;

import dev.websock.conformance.client.Observation;
import dev.websock.conformance.wire.Opcode;

/** Case 10: miscellaneous; 10.1.1 is auto-fragmentation (a message of many frames, RFC 6455 §5.4). */
final class MiscCases {

    private MiscCases() {}

    static void addTo(CaseCatalog catalog) {
        catalog.add("10.1.1", "Send text message with payload of length 65536 auto-fragmented with fragment size 1300.",
                "Receive echo'ed text message (with payload as sent and transmitted frame counts as sent).", ctx -> {
                    byte[] payload = LimitsCases.payload(false, 65536);
                    ctx.expect(OK, Observation.text(payload));
                    ctx.send(CaseContext.fragments(Opcode.TEXT, payload, 1300));
                });
    }
}
