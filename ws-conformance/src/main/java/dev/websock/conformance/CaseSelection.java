package dev.websock.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which cases to run: comma-separated patterns as Autobahn's {@code cases} and {@code exclude-cases} take them.
 * A pattern is a case number with {@code *} matching any run of characters ({@code 1.*}, {@code 6.2.4},
 * {@code 12.1.*}) and {@code ?} one character. A case runs when it matches an include pattern and no exclude
 * pattern. Immutable and thread-safe.
 */
public final class CaseSelection {

    private final List<String> include;
    private final List<String> exclude;
    private final List<Pattern> includePatterns;
    private final List<Pattern> excludePatterns;

    private CaseSelection(List<String> include, List<String> exclude) {
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.includePatterns = include.stream().map(CaseSelection::compile).toList();
        this.excludePatterns = exclude.stream().map(CaseSelection::compile).toList();
    }

    /** Every case. */
    public static CaseSelection all() {
        return new CaseSelection(List.of("*"), List.of());
    }

    /**
     * @param include comma-separated patterns, e.g. {@code "1.*,6.2.4"}; null or blank means every case
     * @param exclude comma-separated patterns, e.g. {@code "9.*"}; null or blank excludes nothing
     * @throws IllegalArgumentException when a pattern has characters other than digits, dots, {@code *} and {@code ?}
     */
    public static CaseSelection of(String include, String exclude) {
        List<String> in = split(include);
        return new CaseSelection(in.isEmpty() ? List.of("*") : in, split(exclude));
    }

    private static List<String> split(String patterns) {
        List<String> out = new ArrayList<>();
        if (patterns != null) {
            for (String p : patterns.split(",")) {
                if (!p.isBlank()) {
                    out.add(p.trim());
                }
            }
        }
        return out;
    }

    private static Pattern compile(String glob) {
        if (!glob.matches("[0-9.*?]+")) {
            throw new IllegalArgumentException("case pattern '" + glob + "' may hold only digits, '.', '*' and '?' "
                    + "(e.g. '1.*' or '6.2.4')");
        }
        StringBuilder regex = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '.' -> regex.append("\\.");
                default -> regex.append(ch);
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Whether the case with this number runs. */
    public boolean matches(String caseId) {
        return includePatterns.stream().anyMatch(p -> p.matcher(caseId).matches())
                && excludePatterns.stream().noneMatch(p -> p.matcher(caseId).matches());
    }

    @Override
    public String toString() {
        return "cases " + include + (exclude.isEmpty() ? "" : " excluding " + exclude);
    }
}
