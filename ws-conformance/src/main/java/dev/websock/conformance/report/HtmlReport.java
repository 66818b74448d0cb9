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
 * Writes a static HTML report a person can read without the tool: {@code index.html} with counts per category and
 * a colour-coded table of every case, and {@code cases/<id>.html} per case with what was sent, what was expected,
 * what was observed, the closing behaviour and the wire log.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
            table{border-collapse:collapse;margin:0.5em 0}
            td,th{border:1px solid #ccc;padding:0.2em 0.6em;text-align:left;vertical-align:top}
            .OK{background:#8d8}.NON-STRICT{background:#ed6}.INFORMATIONAL{background:#9cf}
            .UNIMPLEMENTED{background:#ccc}.FAILED,.UNCLEAN,.WRONG-CODE,.FAILED-BY-CLIENT{background:#e77}
            pre{background:#f6f6f6;padding:0.6em;overflow-x:auto;font-size:90%}
            """;

    private HtmlReport() {}

    public static void write(RunReport report, Path directory) throws IOException {
        Path casesDir = directory.resolve("cases");
        Files.createDirectories(casesDir);
        Files.writeString(directory.resolve("index.html"), index(report), StandardCharsets.UTF_8);
        for (CaseResult c : report.cases()) {
            Files.writeString(casesDir.resolve(fileName(c)), casePage(report, c), StandardCharsets.UTF_8);
        }
    }

    static String fileName(CaseResult c) {
        return "case_" + c.id().replace('.', '_') + ".html";
    }

    private static String index(RunReport r) {
        StringBuilder b = head("WebSocket conformance: " + r.url());
        b.append("<h1>WebSocket conformance</h1>\n<p>Server <code>").append(esc(r.url())).append("</code>, started ")
                .append(esc(r.started().toString())).append(", ").append(r.cases().size()).append(" cases in ")
                .append(r.duration().toMillis()).append(" ms").append(r.reducedLimits() ? ", <b>reduced limits</b>"
                        : "").append(". ").append(r.allPassed() ? "All cases OK with a clean close."
                        : r.notPassed().size() + " case(s) not OK.").append("</p>\n");
        b.append("<p><b>Closing:</b> ").append(esc(ClosingJudge.POLICY)).append("</p>\n");
        b.append("<h2>Counts per category</h2>\n<table><tr><th>category</th><th>outcomes</th></tr>\n");
        for (Map.Entry<String, Map<String, Integer>> e : r.countsByCategory().entrySet()) {
            b.append("<tr><td>").append(e.getKey()).append("</td><td>");
            e.getValue().forEach((k, v) -> b.append("<span class=\"").append(css(k)).append("\">&nbsp;").append(k)
                    .append(' ').append(v).append("&nbsp;</span> "));
            b.append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Cases</h2>\n<table><tr><th>case</th><th>outcome</th><th>behaviour</th><th>closing</th>"
                + "<th>close code</th><th>ms</th><th>description</th></tr>\n");
        for (CaseResult c : r.cases()) {
            ClosingBehaviour cl = c.closing();
            b.append("<tr><td><a href=\"cases/").append(fileName(c)).append("\">").append(c.id()).append("</a></td>")
                    .append("<td class=\"").append(css(c.outcome())).append("\">").append(c.outcome()).append("</td>")
                    .append("<td class=\"").append(css(c.verdict().label())).append("\">").append(c.verdict().label())
                    .append("</td><td class=\"").append(css(cl.verdict().label())).append("\">")
                    .append(cl.verdict().label()).append("</td><td>")
                    .append(cl.serverCloseCode() == null ? "" : cl.serverCloseCode()).append("</td><td>")
                    .append(c.duration().toMillis()).append("</td><td>").append(esc(shorten(c.description())))
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    private static String casePage(RunReport r, CaseResult c) {
        ClosingBehaviour cl = c.closing();
        StringBuilder b = head("Case " + c.id());
        b.append("<p><a href=\"../index.html\">index</a></p>\n<h1>Case ").append(c.id()).append(": <span class=\"")
                .append(css(c.outcome())).append("\">&nbsp;").append(c.outcome()).append("&nbsp;</span> - ")
                .append(c.duration().toMillis()).append(" ms</h1>\n");
        b.append("<h2>Case description</h2><p>").append(esc(c.description())).append("</p>\n");
        b.append("<h2>Case expectation</h2><p>").append(esc(c.expectation())).append("</p>\n");
        b.append("<h2>Case outcome</h2><p class=\"").append(css(c.verdict().label())).append("\">")
                .append(c.verdict().label()).append(": ").append(esc(c.note())).append("</p>\n");
        b.append("<p>Expected:</p>").append(pre(c.expected())).append("<p>Observed:</p>").append(pre(c.observed()));
        if (c.extension() != null) {
            b.append("<p>permessage-deflate agreed: <code>").append(esc(c.extension())).append("</code></p>\n");
        }
        b.append("<h2>Case closing behaviour</h2><p class=\"").append(css(cl.verdict().label())).append("\">")
                .append(cl.verdict().label()).append(": ").append(esc(cl.note())).append("</p>\n<table>\n");
        row(b, "runnerClosedFirst", cl.runnerClosedFirst(), "the runner sent the first close frame");
        row(b, "serverSentClose", cl.serverSentClose(), "the server sent a close frame");
        row(b, "serverRepliedToClose", cl.serverRepliedToClose(), "the server answered the runner's close frame with one");
        row(b, "serverClosedTcp", cl.serverClosedTcp(), "the server closed the TCP connection (RFC 6455 §7.1.1)");
        row(b, "runnerDroppedTcp", cl.runnerDroppedTcp(), "the runner had to drop the TCP connection");
        row(b, "clean", cl.clean(), "close frames both ways and the server closed TCP");
        row(b, "runnerCloseCode", cl.runnerCloseCode(), "the code in the runner's close frame");
        row(b, "serverCloseCode", cl.serverCloseCode(), "the code in the server's close frame");
        row(b, "serverCloseReason", cl.serverCloseReason(), "the reason in the server's close frame");
        b.append("</table>\n<h2>Wire log</h2>").append(pre(c.wireLog()));
        b.append("<p>Run against <code>").append(esc(r.url())).append("</code></p>\n");
        return b.append("</body></html>\n").toString();
    }

    private static void row(StringBuilder b, String key, Object value, String meaning) {
        b.append("<tr><td>").append(key).append("</td><td>").append(value == null ? "" : esc(value.toString()))
                .append("</td><td>").append(esc(meaning)).append("</td></tr>\n");
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(8192).append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append("</title><style>").append(STYLE).append("</style></head><body>\n");
    }

    private static String pre(List<String> lines) {
        StringBuilder b = new StringBuilder("<pre>");
        for (String l : lines) {
            b.append(esc(l)).append('\n');
        }
        return b.append("</pre>\n").toString();
    }

    private static String css(String label) {
        return label.replace(' ', '-');
    }

    private static String shorten(String s) {
        return s.length() <= 140 ? s : s.substring(0, 137) + "...";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
