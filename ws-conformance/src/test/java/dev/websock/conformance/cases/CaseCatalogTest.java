package dev.websock.conformance.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CaseCatalogTest {

    /** The same number of cases per category as Autobahn's server cases, so results compare line by line. */
    @Test
    void hasAutobahnsCaseCountsPerCategory() {
        Map<String, Integer> counts = new TreeMap<>();
        for (ConformanceCase c : CaseCatalog.all(Limits.full())) {
            counts.merge(c.category(), 1, Integer::sum);
        }
        assertEquals(Map.ofEntries(Map.entry("1", 16), Map.entry("2", 11), Map.entry("3", 7), Map.entry("4", 10),
                Map.entry("5", 20), Map.entry("6", 145), Map.entry("7", 37), Map.entry("9", 54), Map.entry("10", 1),
                Map.entry("12", 90), Map.entry("13", 126)), counts);
    }

    @Test
    void caseNumbersAreUniqueAndTheSameForReducedLimits() {
        List<String> full = CaseCatalog.all(Limits.full()).stream().map(ConformanceCase::id).toList();
        List<String> reduced = CaseCatalog.all(Limits.reducedLimits()).stream().map(ConformanceCase::id).toList();
        assertEquals(full.size(), new HashSet<>(full).size());
        assertEquals(full, reduced);
    }

    /** Spot checks of Autobahn's numbering of the UTF-8 vectors (6.5 onwards). */
    @Test
    void utf8VectorGroupsKeepAutobahnsNumbering() {
        Map<String, String> descriptions = new TreeMap<>();
        for (ConformanceCase c : CaseCatalog.all(Limits.full())) {
            descriptions.put(c.id(), c.description());
        }
        assertEquals(true, descriptions.get("6.6.1").contains("0xce"));
        assertEquals(true, descriptions.get("6.21.8").contains("0xedafbfedbfbf"));
        assertEquals(true, descriptions.get("6.23.7").contains("0xefbfbf"));
        assertEquals(true, descriptions.get("6.22.34").contains("0xf48fbfbf"));
    }
}
