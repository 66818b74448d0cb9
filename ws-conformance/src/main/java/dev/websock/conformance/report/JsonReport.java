package dev.websock.conformance.report;

import dev.websock.conformance.CaseResult;
import dev.websock.conformance.ClosingBehaviour;
import dev.websock.conformance.RunReport;
import dev.websock.conformance.cases.ClosingJudge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes one run as one JSON file: the run's facts, counts per category, and every case with its verdicts,
 * expectation, observations, closing behaviour and wire log.
 */
public final class JsonReport {

    private JsonReport() {}

    public static void write(RunReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toJson(report), StandardCharsets.UTF_8);
    }

    public static String toJson(RunReport report) {
        StringBuilder b = new StringBuilder(1 << 16);
        b.append("{\n");
        field(b, 1, "tool", "websock ws-conformance").append(",\n");
        field(b, 1, "url", report.url()).append(",\n");
        field(b, 1, "started", report.started().toString()).append(",\n");
        field(b, 1, "durationMillis", report.duration().toMillis()).append(",\n");
        field(b, 1, "reducedLimits", report.reducedLimits()).append(",\n");
        field(b, 1, "allPassed", report.allPassed()).append(",\n");
        field(b, 1, "closingPolicy", ClosingJudge.POLICY).append(",\n");
        indent(b, 1).append("\"counts\": {");
        boolean first = true;
        for (Map.Entry<String, Map<String, Integer>> e : report.countsByCategory().entrySet()) {
            b.append(first ? "\n" : ",\n");
            first = false;
            indent(b, 2).append(Json.string(e.getKey())).append(": {");
            boolean f2 = true;
            for (Map.Entry<String, Integer> c : e.getValue().entrySet()) {
                b.append(f2 ? "" : ", ").append(Json.string(c.getKey())).append(": ").append(c.getValue());
                f2 = false;
            }
            b.append('}');
        }
        b.append("\n");
        indent(b, 1).append("},\n");
        indent(b, 1).append("\"cases\": [");
        List<CaseResult> cases = report.cases();
        for (int i = 0; i < cases.size(); i++) {
            b.append(i == 0 ? "\n" : ",\n");
            caseJson(b, cases.get(i));
        }
        b.append("\n");
        indent(b, 1).append("]\n}\n");
        return b.toString();
    }

    private static void caseJson(StringBuilder b, CaseResult c) {
        indent(b, 2).append("{\n");
        field(b, 3, "id", c.id()).append(",\n");
        field(b, 3, "outcome", c.outcome()).append(",\n");
        field(b, 3, "passed", c.passed()).append(",\n");
        field(b, 3, "verdict", c.verdict().label()).append(",\n");
        field(b, 3, "note", c.note()).append(",\n");
        field(b, 3, "description", c.description()).append(",\n");
        field(b, 3, "expectation", c.expectation()).append(",\n");
        list(b, 3, "expected", c.expected()).append(",\n");
        list(b, 3, "observed", c.observed()).append(",\n");
        ClosingBehaviour cl = c.closing();
        indent(b, 3).append("\"closing\": {");
        b.append("\"verdict\": ").append(Json.string(cl.verdict().label()));
        b.append(", \"note\": ").append(Json.string(cl.note()));
        b.append(", \"runnerClosedFirst\": ").append(cl.runnerClosedFirst());
        b.append(", \"serverSentClose\": ").append(cl.serverSentClose());
        b.append(", \"serverRepliedToClose\": ").append(cl.serverRepliedToClose());
        b.append(", \"serverClosedTcp\": ").append(cl.serverClosedTcp());
        b.append(", \"runnerDroppedTcp\": ").append(cl.runnerDroppedTcp());
        b.append(", \"runnerCloseCode\": ").append(Json.value(cl.runnerCloseCode()));
        b.append(", \"serverCloseCode\": ").append(Json.value(cl.serverCloseCode()));
        b.append(", \"serverCloseReason\": ").append(Json.value(cl.serverCloseReason()));
        b.append(", \"clean\": ").append(cl.clean()).append("},\n");
        field(b, 3, "extension", c.extension()).append(",\n");
        field(b, 3, "durationMillis", c.duration().toMillis()).append(",\n");
        list(b, 3, "wireLog", c.wireLog()).append("\n");
        indent(b, 2).append('}');
    }

    private static StringBuilder field(StringBuilder b, int depth, String name, Object value) {
        return indent(b, depth).append(Json.string(name)).append(": ").append(Json.value(value));
    }

    private static StringBuilder list(StringBuilder b, int depth, String name, List<String> values) {
        indent(b, depth).append(Json.string(name)).append(": [");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(Json.string(values.get(i)));
        }
        return b.append(']');
    }

    private static StringBuilder indent(StringBuilder b, int depth) {
        return b.append("  ".repeat(depth));
    }
}
