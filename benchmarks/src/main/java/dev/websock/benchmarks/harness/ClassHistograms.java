package dev.websock.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Where the bytes of idle connections are: the difference of two {@code jcmd GC.class_histogram}s. */
public final class ClassHistograms {

    private ClassHistograms() {
    }

    /**
     * The types that grew between two class histograms ({@link ServerProcess#classHistogram()}), per connection,
     * largest first, as one markdown list item titled {@code title}.
     */
    public static String delta(String title, Map<String, long[]> before, Map<String, long[]> after, int count) {
        record Delta(String type, long instances, long bytes) {}
        List<Delta> deltas = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : after.entrySet()) {
            long[] was = before.getOrDefault(entry.getKey(), new long[2]);
            long bytes = entry.getValue()[1] - was[1];
            if (bytes != 0) {
                deltas.add(new Delta(entry.getKey(), entry.getValue()[0] - was[0], bytes));
            }
        }
        deltas.sort((a, b) -> Long.compare(b.bytes, a.bytes));
        StringBuilder text = new StringBuilder("- " + title + ": ");
        long shown = 0;
        for (int i = 0; i < Math.min(Integer.getInteger("bench.histogramTypes", 12), deltas.size()); i++) {
            Delta delta = deltas.get(i);
            if (delta.bytes < count * 4L) {
                break; // below 4 B per connection
            }
            shown += delta.bytes;
            text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "`%s` %.2f × %.0f B", delta.type,
                    delta.instances / (double) count, delta.bytes / (double) count));
        }
        long total = deltas.stream().mapToLong(Delta::bytes).sum();
        long own = deltas.stream().filter(d -> d.type.startsWith("dev.websock.") || d.type.startsWith("io.netty."))
                .mapToLong(Delta::bytes).sum();
        text.append(String.format(Locale.ROOT, "; total %.0f B per connection (%.0f B in the types listed), of which"
                + " %.0f B in the library's own classes (dev.websock.*, io.netty.*; arrays and JDK objects they hold"
                + " not included)", total / (double) count, shown / (double) count, own / (double) count));
        return text.toString();
    }
}
