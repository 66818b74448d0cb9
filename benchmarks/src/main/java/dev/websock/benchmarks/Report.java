package dev.websock.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH JSON results ({@code -rf json}) into the markdown tables of {@code benchmarks/RESULTS.md}: throughput
 * in GB/s (input bytes / time, 10^9 bytes per second) per benchmark, input, size and kernel, and the targets
 * with their ratios, all taken from the same run.
 *
 * <pre>
 * java -cp benchmarks.jar dev.websock.benchmarks.Report times.json [gc.json]
 * </pre>
 *
 * The first file gives the times; the optional second one, a run with {@code -prof gc}, the allocation per
 * operation ({@code gc.alloc.rate.norm}).
 */
public final class Report {

    private static final String PACKAGE = Report.class.getPackageName() + ".";
    private static final List<Integer> UTF8_SIZES = List.of(64, 1024, 65536, 1048576);
    private static final List<Integer> UNMASK_SIZES = List.of(16, 125, 1024, 65536, 1048576);
    private static final List<String> MEMORIES = List.of("heap", "direct");
    /** The vector widths reported, the first one (the CPU's preferred here) the one the targets are about. */
    private static final List<String> WIDTHS = List.of("512", "256");

    private record Key(String benchmark, String input, String memory, int size) {}

    /** A time, its 99.9% error and the slowest over the fastest of its measurement iterations. */
    private record Score(double ns, double error, double spread) {

        boolean unsteady() {
            return spread > UNSTEADY;
        }
    }

    /** Iterations further apart than this mark a result as unsteady (not warmed up, or a busy machine). */
    private static final double UNSTEADY = 1.5;

    private final Map<Key, Score> times = new LinkedHashMap<>();
    /** Bytes per operation and the time per operation of the run that measured them. */
    private final Map<Key, double[]> allocations = new LinkedHashMap<>();
    private final List<String> targetRows = new ArrayList<>();
    private int passed;
    private int failed;

    private Report() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Report <times.json> [<gc-profiled.json>]");
            System.exit(2);
        }
        Report report = new Report();
        report.load(Path.of(args[0]), true);
        if (args.length == 2) {
            report.load(Path.of(args[1]), false);
        }
        StringBuilder out = new StringBuilder();
        report.utf8Table(out);
        report.unmaskTable(out);
        report.targets(out);
        report.allocationTable(out);
        out.append("**").append(report.passed).append(" targets passed, ").append(report.failed).append(" failed.**\n");
        System.out.print(out);
    }

    // ---------------------------------------------------------------- input

    @SuppressWarnings("unchecked")
    private void load(Path file, boolean withTimes) throws IOException {
        for (Object entry : (List<Object>) Json.parse(Files.readString(file))) {
            Map<String, Object> result = (Map<String, Object>) entry;
            String benchmark = ((String) result.get("benchmark")).replace(PACKAGE, "");
            Map<String, Object> params = (Map<String, Object>) result.getOrDefault("params", Map.of());
            Key key = new Key(benchmark, (String) params.get("input"), (String) params.get("memory"),
                    Integer.parseInt((String) params.get("size")));
            Map<String, Object> primary = (Map<String, Object>) result.get("primaryMetric");
            double scale = nanos((String) primary.get("scoreUnit"));
            double ns = number(primary.get("score")) * scale;
            if (withTimes) {
                double min = Double.POSITIVE_INFINITY;
                double max = 0;
                for (Object fork : (List<Object>) primary.getOrDefault("rawData", List.of())) {
                    for (Object iteration : (List<Object>) fork) {
                        min = Math.min(min, number(iteration));
                        max = Math.max(max, number(iteration));
                    }
                }
                times.put(key, new Score(ns, number(primary.get("scoreError")) * scale, max > 0 ? max / min : 1));
            }
            Map<String, Object> secondary = (Map<String, Object>) result.getOrDefault("secondaryMetrics", Map.of());
            Map<String, Object> alloc = (Map<String, Object>) secondary.get("gc.alloc.rate.norm");
            if (alloc != null) {
                allocations.put(key, new double[] {number(alloc.get("score")), ns});
            }
        }
    }

    private static double number(Object value) {
        return value instanceof Double d ? d : Double.parseDouble(String.valueOf(value)); // "NaN" is a string
    }

    private static double nanos(String unit) {
        return switch (unit) {
            case "ns/op" -> 1;
            case "us/op" -> 1e3;
            case "ms/op" -> 1e6;
            case "s/op" -> 1e9;
            default -> throw new IllegalArgumentException("run JMH in average-time mode (-bm avgt), not " + unit);
        };
    }

    private Score time(String benchmark, String input, String memory, int size) {
        return times.get(new Key(benchmark, input, memory, size));
    }

    // ---------------------------------------------------------------- throughput tables

    private void utf8Table(StringBuilder out) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String w : WIDTHS) {
            columns.put("one-shot " + w, "Utf8Vector" + w + ".oneShot");
        }
        columns.put("one-shot scalar", "Utf8Scalar.oneShot");
        for (String w : WIDTHS) {
            columns.put("stream " + w, "Utf8Vector" + w + ".streaming");
        }
        columns.put("stream scalar", "Utf8Scalar.streaming");
        columns.put("Utf8Dfa.scan", "Utf8Reference.scalarDfa");
        columns.put("JDK decoder", "Utf8Reference.jdkDecoder");
        out.append("### UTF-8 validation, GB/s (size / time; higher is better)\n\n");
        out.append("one-shot: `Utf8.firstInvalid(byte[])` with the vector-512, vector-256 or scalar kernel (forced per"
                + " fork); stream: `Utf8Validator.feed` in 1 KiB chunks, reset per message; `Utf8Dfa.scan`: websock's"
                + " scalar path; JDK decoder: `CharsetDecoder` UTF-8, REPORT, reused, into a reused `CharBuffer`.\n\n");
        out.append(UNSTEADY_NOTE);
        header(out, "input | size", columns.keySet());
        for (String input : Utf8Inputs.NAMES) {
            for (int size : UTF8_SIZES) {
                out.append("| ").append(input).append(" | ").append(sizeName(size)).append(" |");
                for (String benchmark : columns.values()) {
                    out.append(' ').append(gbps(time(benchmark, input, null, size), size)).append(" |");
                }
                out.append('\n');
            }
        }
        out.append('\n');
    }

    private void unmaskTable(StringBuilder out) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String w : WIDTHS) {
            columns.put("websock " + w, "UnmaskVector" + w + ".websock");
        }
        for (String w : WIDTHS) {
            columns.put("ByteBuffer " + w, "UnmaskVector" + w + ".websockByteBuffer");
        }
        columns.put("websock 256, AVX2", "UnmaskVector256Avx2.websock");
        for (String w : WIDTHS) {
            columns.put("copying " + w, "UnmaskVector" + w + ".websockCopy");
        }
        columns.put("byte loop", "UnmaskReference.byteLoop");
        columns.put("long loop", "UnmaskReference.longLoop");
        columns.put("copy", "UnmaskReference.copy");
        out.append("### Unmasking, GB/s (size / time; higher is better)\n\n");
        out.append("websock: `Unmasker.unmask` on the `byte[]` (heap) or on a `MemorySegment` made once from the direct"
                + " buffer (direct); \"256, AVX2\": the same, vector-256, in a JVM started with `-XX:UseAVX=2`; ByteBuffer: `Unmasker.unmask(ByteBuffer)` (heap: wrapped array; direct: wrapped"
                + " per call); copying: `Unmasker.unmaskCopy` from the payload into a second `byte[]` or segment;"
                + " byte loop: `a[i] ^= key[i & 3]`; long loop: websock's `ScalarKernel` (8 bytes at a time);"
                + " copy: `System.arraycopy` (heap) / `MemorySegment.copy` (direct) of the same length into a second"
                + " buffer, the memory-bandwidth reference. All but copying and copy work in place.\n\n");
        out.append(UNSTEADY_NOTE);
        header(out, "memory | size", columns.keySet());
        for (String memory : MEMORIES) {
            for (int size : UNMASK_SIZES) {
                out.append("| ").append(memory).append(" | ").append(sizeName(size)).append(" |");
                for (String benchmark : columns.values()) {
                    out.append(' ').append(gbps(time(benchmark, null, memory, size), size)).append(" |");
                }
                out.append('\n');
            }
        }
        out.append('\n');
    }

    private static final String UNSTEADY_NOTE = "† its measurement iterations differ by more than " + UNSTEADY
            + "× (not warmed up, or the machine was busy): read with care.\n\n";

    private static void header(StringBuilder out, String first, Iterable<String> columns) {
        StringBuilder rule = new StringBuilder("|---|---:|");
        out.append("| ").append(first).append(" |");
        for (String column : columns) {
            out.append(' ').append(column).append(" |");
            rule.append("---:|");
        }
        out.append('\n').append(rule).append('\n');
    }

    private static String gbps(Score score, int size) {
        if (score == null) {
            return "–";
        }
        double g = size / score.ns();
        return String.format(Locale.ROOT, g >= 100 ? "%.0f" : g >= 10 ? "%.1f" : "%.2f", g)
                + (score.unsteady() ? " †" : "");
    }

    static String sizeName(int size) {
        return size >= 1 << 20 && size % (1 << 20) == 0 ? size / (1 << 20) + " MiB"
                : size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB"
                : size + " B";
    }

    // ---------------------------------------------------------------- targets

    /** A ratio of two results of the run: {@code subject} vs {@code reference}. */
    private record Ratio(Score subject, Score reference) {

        /** How many times faster the subject is (reference time / subject time). */
        double speedup() {
            return reference.ns() / subject.ns();
        }

        /** Subject time / reference time. */
        double cost() {
            return subject.ns() / reference.ns();
        }

        boolean unsteady() {
            return subject.unsteady() || reference.unsteady();
        }
    }

    private Ratio ratio(String subject, String reference, String input, String memory, int size) {
        return ratio(subject, input, memory, reference, input, memory, size);
    }

    private Ratio ratio(String subject, String subjectInput, String subjectMemory, String reference,
            String referenceInput, String referenceMemory, int size) {
        Score s = time(subject, subjectInput, subjectMemory, size);
        Score r = time(reference, referenceInput, referenceMemory, size);
        return s == null || r == null ? null : new Ratio(s, r);
    }

    private enum Kind { AT_LEAST, AT_MOST, NO_SLOWER }

    /** "No slower" allows this much: two results of the same code differ by a few percent from fork to fork. */
    private static final double NO_SLOWER_TOLERANCE = 0.05;

    /**
     * One row per case: {@code primary} is the ratio with the first vector width (decides PASS/FAIL), {@code other}
     * the same with the second width, for comparison.
     */
    private void target(String target, String when, Kind kind, double bound, Ratio primary, Ratio other) {
        if (primary == null) {
            targetRows.add("| " + target + " | " + when + " | – | | not measured | |");
            return;
        }
        double value = kind == Kind.AT_MOST ? primary.cost() : primary.speedup();
        String result;
        if (kind == Kind.NO_SLOWER) {
            result = value >= bound * (1 - NO_SLOWER_TOLERANCE) ? "PASS" : "FAIL";
        } else {
            result = (kind == Kind.AT_LEAST ? value >= bound : value <= bound) ? "PASS" : "FAIL";
        }
        if (primary.unsteady()) {
            result += " †";
        }
        if (result.startsWith("PASS")) {
            passed++;
        } else {
            failed++;
        }
        String otherValue = other == null ? "–" : times(kind == Kind.AT_MOST ? other.cost() : other.speedup());
        targetRows.add("| " + target + " | " + when + " | " + times(value) + " | "
                + (kind == Kind.AT_MOST ? "≤ " : "≥ ") + times(bound) + " | " + result + " | " + otherValue + " |");
    }

    private static String times(double x) {
        return String.format(Locale.ROOT, x >= 100 ? "%.0f×" : x >= 10 ? "%.1f×" : "%.2f×", x);
    }

    private void targets(StringBuilder out) {
        String v = "Utf8Vector" + WIDTHS.get(0) + ".oneShot";
        String v2 = "Utf8Vector" + WIDTHS.get(1) + ".oneShot";
        String jdk = "Utf8Reference.jdkDecoder";
        String dfa = "Utf8Reference.scalarDfa";
        String copy = "UnmaskReference.copy";
        String longLoop = "UnmaskReference.longLoop";
        String u = "UnmaskVector" + WIDTHS.get(0) + ".websock";
        String u2 = "UnmaskVector" + WIDTHS.get(1) + ".websock";
        List<String> nonAscii = Utf8Inputs.NAMES.subList(1, Utf8Inputs.NAMES.size());
        List<Integer> big = List.of(65536, 1048576);

        for (int size : big) {
            for (String input : nonAscii) {
                target("UTF-8 vector ≥ 10× JDK decoder", input + ", " + sizeName(size), Kind.AT_LEAST, 10,
                        ratio(v, jdk, input, null, size), ratio(v2, jdk, input, null, size));
            }
        }
        for (int size : big) {
            for (String input : nonAscii) {
                target("UTF-8 vector ≥ 5× scalar path", input + ", " + sizeName(size), Kind.AT_LEAST, 5,
                        ratio(v, dfa, input, null, size), ratio(v2, dfa, input, null, size));
            }
        }
        for (int size : big) {
            target("ascii: vector ≥ 2× JDK decoder", sizeName(size), Kind.AT_LEAST, 2,
                    ratio(v, jdk, "ascii", null, size), ratio(v2, jdk, "ascii", null, size));
        }
        for (int size : big) {
            target("ascii: vector ≥ 0.5× arraycopy bandwidth", sizeName(size), Kind.AT_LEAST, 0.5,
                    ratio(v, "ascii", null, copy, null, "heap", size), ratio(v2, "ascii", null, copy, null, "heap", size));
        }
        for (String input : Utf8Inputs.NAMES) {
            target("streaming (1 KiB chunks) ≤ 1.2× one-shot time", input + ", 64 KiB", Kind.AT_MOST, 1.2,
                    ratio("Utf8Vector" + WIDTHS.get(0) + ".streaming", v, input, null, 65536),
                    ratio("Utf8Vector" + WIDTHS.get(1) + ".streaming", v2, input, null, 65536));
        }
        for (String input : Utf8Inputs.NAMES) {
            target("UTF-8 at 64 B no slower than scalar path", input, Kind.NO_SLOWER, 1,
                    ratio(v, dfa, input, null, 64), ratio(v2, dfa, input, null, 64));
        }
        for (int size : List.of(16, 125)) {
            for (String memory : MEMORIES) {
                target("unmask no slower than long loop", memory + ", " + sizeName(size), Kind.NO_SLOWER, 1,
                        ratio(u, longLoop, null, memory, size), ratio(u2, longLoop, null, memory, size));
            }
        }
        for (int size : big) {
            for (String memory : MEMORIES) {
                target("unmask ≥ 0.8× copy bandwidth", memory + ", " + sizeName(size), Kind.AT_LEAST, 0.8,
                        ratio(u, copy, null, memory, size), ratio(u2, copy, null, memory, size));
            }
        }
        for (String memory : MEMORIES) {
            target("unmask ≥ 3× long loop", memory + ", 1 KiB", Kind.AT_LEAST, 3,
                    ratio(u, longLoop, null, memory, 1024), ratio(u2, longLoop, null, memory, 1024));
        }

        out.append("### Targets (ratios of results of the same run; decided with vector-").append(WIDTHS.get(0))
                .append(", vector-").append(WIDTHS.get(1)).append(" for comparison)\n\n");
        out.append("Speed-up = reference time / websock time (bandwidth ratio for the copy); streaming: its time /"
                + " one-shot time. \"No slower\" passes at ≥ " + (1 - NO_SLOWER_TOLERANCE) + "× (5% tolerance)."
                + " † marks a ratio with an unsteady result.\n\n");
        out.append("| target | case | measured | bound | result | at ").append(WIDTHS.get(1)).append(" |\n");
        out.append("|---|---|---:|---:|---|---:|\n");
        for (String row : targetRows) {
            out.append(row).append('\n');
        }
        out.append('\n');
    }

    // ---------------------------------------------------------------- allocation

    /**
     * Below one byte per operation, or below one object per operation at a rate JMH's own bookkeeping explains
     * (its per-iteration allocations, spread over few slow operations): no allocation per operation.
     */
    private static boolean allocationFree(double bytesPerOp, double nsPerOp) {
        return bytesPerOp < 1 || bytesPerOp < 16 && bytesPerOp / nsPerOp * 1e9 < 100_000;
    }

    private void allocationTable(StringBuilder out) {
        if (allocations.isEmpty()) {
            return;
        }
        Map<String, List<Key>> groups = new TreeMap<>(); // benchmark (and memory) -> its cases
        for (Key key : allocations.keySet()) {
            String group = key.benchmark() + (key.memory() == null ? "" : ", " + key.memory());
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(key);
        }
        out.append("### Allocation (`-prof gc`, gc.alloc.rate.norm)\n\n");
        out.append("0 B/op: below 1 B/op, or below one object per operation at under 100 KB/s (JMH's own allocations"
                + " per iteration, spread over slow operations).\n\n");
        out.append("| benchmark | cases | max B/op | result |\n|---|---|---:|---|\n");
        for (Map.Entry<String, List<Key>> group : groups.entrySet()) {
            double max = 0;
            boolean free = true;
            List<String> inputs = new ArrayList<>();
            List<String> sizes = new ArrayList<>();
            for (Key key : group.getValue()) {
                double[] alloc = allocations.get(key);
                max = Math.max(max, alloc[0]);
                free &= allocationFree(alloc[0], alloc[1]);
                if (key.input() != null && !inputs.contains(key.input())) {
                    inputs.add(key.input());
                }
                if (!sizes.contains(sizeName(key.size()))) {
                    sizes.add(sizeName(key.size()));
                }
            }
            boolean documented = group.getKey().endsWith("websockByteBuffer, direct");
            String result = free ? "PASS (0 B/op)"
                    : documented ? "allocates (documented: the direct buffer is wrapped per call)"
                    : "FAIL";
            if (free) {
                passed++;
            } else if (!documented) {
                failed++;
            }
            out.append("| ").append(group.getKey()).append(" | ")
                    .append(inputs.isEmpty() ? "" : String.join(", ", inputs) + "; ")
                    .append(String.join(", ", sizes)).append(" | ")
                    .append(String.format(Locale.ROOT, "%.3f", max)).append(" | ").append(result).append(" |\n");
        }
        out.append('\n');
    }
}
