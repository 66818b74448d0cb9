package dev.websock.conformance.cases;

import dev.websock.conformance.deflate.DeflateOffer;
import java.util.List;

/**
 * One case of the catalogue.
 *
 * @param id          the case number ("6.4.3"), as Autobahn numbers it
 * @param description what the runner sends
 * @param expectation what a conforming server does
 * @param offers      the permessage-deflate offers of the opening handshake (empty for cases 1-10)
 * @param bulk        a long case (9.*, 12.*, 13.*): it gets the bulk timeout
 * @param script      what the case does on the connection
 */
public record ConformanceCase(String id, String description, String expectation, List<DeflateOffer> offers,
                              boolean bulk, Script script) {

    /** The category: the number before the first dot. */
    public String category() {
        return id.substring(0, id.indexOf('.'));
    }

    /** Orders case numbers numerically part by part: 1.1.10 after 1.1.9, 10.1.1 after 9.8.6. */
    public static int compareIds(String a, String b) {
        String[] pa = a.split("\\.");
        String[] pb = b.split("\\.");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c = Integer.compare(Integer.parseInt(pa[i]), Integer.parseInt(pb[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }
}
