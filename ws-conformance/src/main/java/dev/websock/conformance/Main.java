package dev.websock.conformance;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * The command line:
 * {@code java -jar ws-conformance.jar --url ws://127.0.0.1:9001/echo [--cases '1.*,6.2.4'] [--exclude '9.*']
 * [--out target/conformance] [--insecure] [--reduced] [--quiet]}.
 *
 * <p>Exit status: 0 when every selected case is OK (or INFORMATIONAL) with a clean close, 1 when any is not,
 * 2 for a usage error.
 */
public final class Main {

    static final String USAGE = """
            usage: java -jar ws-conformance.jar --url <ws://host:port/path | wss://...> [options]
              --url URL         the server's echo endpoint (it must echo every text and binary message)
              --cases LIST      comma-separated case patterns to run, e.g. '1.*,6.2.4' (default: all)
              --exclude LIST    comma-separated case patterns to leave out, e.g. '9.*'
              --out DIR         where report.json and index.html go (default: target/conformance)
              --insecure        trust any certificate for wss:// (self-signed test certificates)
              --reduced         smaller messages and fewer repetitions in 9.*, 12.*, 13.* (as CI runs them)
              --quiet           no line per case, only the summary
            exit status: 0 all selected cases OK, 1 some case not OK, 2 usage error
            """;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit status instead of exiting (for tests). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String url = null;
        String cases = null;
        String exclude = null;
        String outDir = "target/conformance";
        boolean insecure = false;
        boolean reduced = false;
        boolean quiet = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url" -> url = value(args, ++i, "--url");
                    case "--cases" -> cases = value(args, ++i, "--cases");
                    case "--exclude" -> exclude = value(args, ++i, "--exclude");
                    case "--out" -> outDir = value(args, ++i, "--out");
                    case "--insecure" -> insecure = true;
                    case "--reduced" -> reduced = true;
                    case "--quiet" -> quiet = true;
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (url == null) {
                throw new IllegalArgumentException("--url is required");
            }
            boolean printEach = !quiet;
            ConformanceRunner runner = ConformanceRunner.builder(URI.create(url)).cases(cases).exclude(exclude)
                    .insecure(insecure).reducedLimits(reduced).outputDirectory(Path.of(outDir))
                    .onCaseFinished(r -> {
                        if (printEach) {
                            out.printf("%-8s %-14s %6d ms  %s%n", r.id(), r.outcome(), r.duration().toMillis(),
                                    r.passed() ? "" : r.reason());
                        }
                    }).build();
            if (runner.selectedCases().isEmpty()) {
                throw new IllegalArgumentException("no case matches --cases '" + cases + "' --exclude '" + exclude + "'");
            }
            RunReport report = runner.run();
            out.print(report.summary());
            out.println("HTML report: " + Path.of(outDir).resolve("index.html").toAbsolutePath());
            out.println("JSON report: " + Path.of(outDir).resolve("report.json").toAbsolutePath());
            return report.allPassed() ? 0 : 1;
        } catch (IllegalArgumentException e) {
            err.println("ws-conformance: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
