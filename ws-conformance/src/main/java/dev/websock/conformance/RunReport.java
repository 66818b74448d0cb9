package dev.websock.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The results of one run, in case order, and where the reports were written.
 *
 * @param url           the server's URL
 * @param started       when the run started
 * @param duration      how long it took
 * @param reducedLimits whether reduced sizes and counts were used in 9.*, 12.* and 13.*
 * @param cases         one result per selected case, in case order
 * @param outputDirectory where report.json and index.html are, or null when no report was written
 */
public record RunReport(String url, Instant started, Duration duration, boolean reducedLimits, List<CaseResult> cases,
                        Path outputDirectory) {

    /** Every case is OK (or INFORMATIONAL) with a clean close. */
    public boolean allPassed() {
        return cases.stream().allMatch(CaseResult::passed);
    }

    /** The cases that did not pass. */
    public List<CaseResult> notPassed() {
        return cases.stream().filter(c -> !c.passed()).toList();
    }

    /** Per category ("1", "2", ... "13"), the number of cases with each outcome ("OK", "NON-STRICT", "UNCLEAN", ...). */
    public Map<String, Map<String, Integer>> countsByCategory() {
        Map<String, Map<String, Integer>> counts = new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a),
                Integer.parseInt(b)));
        for (CaseResult c : cases) {
            counts.computeIfAbsent(c.category(), k -> new TreeMap<>()).merge(c.outcome(), 1, Integer::sum);
        }
        return counts;
    }

    /** A plain-text table of the counts per category, and the cases that did not pass. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append("Conformance run against ").append(url).append(reducedLimits ? " (reduced limits)" : "")
                .append(": ").append(cases.size()).append(" cases in ").append(duration.toMillis()).append(" ms\n");
        s.append(String.format("%-9s %6s  %s%n", "category", "cases", "outcomes"));
        for (Map.Entry<String, Map<String, Integer>> e : countsByCategory().entrySet()) {
            int total = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
            List<String> parts = new ArrayList<>();
            e.getValue().forEach((k, v) -> parts.add(k + " " + v));
            s.append(String.format("%-9s %6d  %s%n", e.getKey(), total, String.join(", ", parts)));
        }
        List<CaseResult> bad = notPassed();
        if (bad.isEmpty()) {
            s.append("All cases OK with a clean close.\n");
        } else {
            s.append(bad.size()).append(" case(s) not OK:\n");
            for (CaseResult c : bad) {
                s.append(String.format("  %-8s %-14s %s%n", c.id(), c.outcome(), c.reason()));
            }
        }
        return s.toString();
    }
}
