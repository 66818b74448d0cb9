package dev.websock.conformance.reference;

import dev.websock.conformance.CaseResult;
import dev.websock.conformance.CaseSelection;
import dev.websock.conformance.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference server's known outcomes, kept in test resources as tungstenite keeps its Autobahn results: every
 * case not listed must be OK with a clean close; every listed one must have exactly the listed outcome.
 */
public final class ExpectedResults {

    private final Map<String, String> outcomeByPattern = new LinkedHashMap<>();

    private ExpectedResults() {}

    public static ExpectedResults load(String resource) throws IOException {
        ExpectedResults r = new ExpectedResults();
        try (InputStream in = ExpectedResults.class.getResourceAsStream("/dev/websock/conformance/" + resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String content = line.contains("|") ? line.substring(0, line.indexOf('|')) : line;
                if (line.startsWith("#") || content.isBlank()) {
                    continue;
                }
                String[] parts = content.trim().split("\\s+", 2);
                r.outcomeByPattern.put(parts[0], parts[1].trim());
            }
        }
        return r;
    }

    /** The expected outcome of a case: the first listed pattern that matches, else "OK". */
    public String expectedOutcome(String caseId) {
        for (Map.Entry<String, String> e : outcomeByPattern.entrySet()) {
            if (CaseSelection.of(e.getKey(), null).matches(caseId)) {
                return e.getValue();
            }
        }
        return "OK";
    }

    /** One line per case whose outcome differs from the expected one; empty when the run matches. */
    public List<String> differences(RunReport report) {
        List<String> out = new ArrayList<>();
        for (CaseResult c : report.cases()) {
            String expected = expectedOutcome(c.id());
            if (!expected.equals(c.outcome())) {
                out.add(c.id() + ": expected " + expected + ", got " + c.outcome() + " (" + c.reason() + ")");
            }
        }
        return out;
    }
}
