package dev.websock.benchmarks.load;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The targets for websock against the best of its peers (Netty, Jetty), one constant per group of cells:
 * which cells it covers, the least msgs/s ratio (websock ÷ the peer with the most msgs/s) and the greatest p99
 * ratio (websock ÷ the peer with the lowest p99), if any. The groups are disjoint, so a cell has at most one target.
 */
enum Target {

    /** Many small messages in flight: where per-message overhead decides. */
    SMALL_PIPELINED("plain, 32 B or 1 KiB, 100 conn, depth 16",
            c -> plain(c) && small(c) && c.connections() == 100 && c.depth() == 16, 1.5, 0.8),
    /** One small message at a time on one connection: latency-bound, so the round trip decides. */
    SMALL_LATENCY("plain, 32 B or 1 KiB, 1 conn, depth 1",
            c -> plain(c) && small(c) && c.connections() == 1 && c.depth() == 1, 1.2, 0.8),
    LARGE_64_KIB("plain, 64 KiB", c -> plain(c) && c.size() == 64 * 1024, 1.2, 0.8),
    /** Copying and memory bandwidth dominate at 1 MiB, so parity is the bar. */
    LARGE_1_MIB("plain, 1 MiB", c -> plain(c) && c.size() == 1024 * 1024, 1.0, 0.8),
    /** The TLS engine's cost is shared by all servers; only the rate has a target. */
    TLS_1_KIB("tls, 1 KiB, 100 conn", c -> c.tls() && !c.deflate() && c.size() == 1024 && c.connections() == 100,
            1.2, Double.NaN),
    /** Deflate's cost is shared by all servers; only the rate has a target. */
    DEFLATE_TEXT_1_KIB("plain+deflate, 1 KiB text, 100 conn, depth 16",
            c -> !c.tls() && c.deflate() && c.text() && c.size() == 1024 && c.connections() == 100
                    && c.depth() == 16, 1.2, Double.NaN);

    private final String cells;
    private final Predicate<Cell> covers;
    private final double minThroughputRatio;
    private final double maxP99Ratio;

    Target(String cells, Predicate<Cell> covers, double minThroughputRatio, double maxP99Ratio) {
        this.cells = cells;
        this.covers = covers;
        this.minThroughputRatio = minThroughputRatio;
        this.maxP99Ratio = maxP99Ratio;
    }

    /** The target covering {@code cell}, or empty when the issue sets none for it. */
    static Optional<Target> of(Cell cell) {
        for (Target target : values()) {
            if (target.covers.test(cell)) {
                return Optional.of(target);
            }
        }
        return Optional.empty();
    }

    /** Whether websock's msgs/s over the best peer's meets the target; a ratio that is not a number does not. */
    boolean throughputMet(double ratio) {
        return ratio >= minThroughputRatio;
    }

    boolean hasP99Bound() {
        return !Double.isNaN(maxP99Ratio);
    }

    /** Whether websock's p99 over the best peer's meets the target (always false without a p99 bound). */
    boolean p99Met(double ratio) {
        return hasP99Bound() && ratio <= maxP99Ratio;
    }

    /** "≥ 1.5×". */
    String throughputBound() {
        return String.format(Locale.ROOT, "≥ %.1f×", minThroughputRatio);
    }

    /** "≤ 0.8×", or "—" without a p99 bound. */
    String p99Bound() {
        return hasP99Bound() ? String.format(Locale.ROOT, "≤ %.1f×", maxP99Ratio) : "—";
    }

    /** The cells covered, in words. */
    String cells() {
        return cells;
    }

    private static boolean plain(Cell cell) {
        return !cell.tls() && !cell.deflate();
    }

    private static boolean small(Cell cell) {
        return cell.size() == 32 || cell.size() == 1024;
    }
}
