package dev.websock.conformance.cases;

import dev.websock.conformance.deflate.DeflateOffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every case the runner knows, numbered as the Autobahn testsuite numbers its server cases so results compare
 * line by line: 1 framing, 2 ping/pong, 3 reserved bits, 4 reserved opcodes, 5 fragmentation, 6 UTF-8,
 * 7 close handling, 9 limits and performance, 10 auto-fragmentation, 12 and 13 permessage-deflate.
 * The cases are written from RFC 6455 and RFC 7692; Autobahn supplied the numbering and what each case sends.
 */
public final class CaseCatalog {

    private final List<ConformanceCase> cases = new ArrayList<>();

    private CaseCatalog() {}

    /** The catalogue for these limits (the limits decide the sizes in 9.* and the counts in 9.*, 12.*, 13.*). */
    public static List<ConformanceCase> all(Limits limits) {
        CaseCatalog catalog = new CaseCatalog();
        FramingCases.addTo(catalog);
        PingPongCases.addTo(catalog);
        ReservedBitsCases.addTo(catalog);
        ReservedOpcodeCases.addTo(catalog);
        FragmentationCases.addTo(catalog, limits);
        Utf8Cases.addTo(catalog, limits);
        CloseCases.addTo(catalog);
        LimitsCases.addTo(catalog, limits);
        MiscCases.addTo(catalog);
        CompressionCases.addTo(catalog, limits);
        return Collections.unmodifiableList(catalog.cases);
    }

    void add(String id, String description, String expectation, Script script) {
        cases.add(new ConformanceCase(id, description, expectation, List.of(), false, script));
    }

    void addBulk(String id, String description, String expectation, List<DeflateOffer> offers, Script script) {
        cases.add(new ConformanceCase(id, description, expectation, offers, true, script));
    }
}
