package dev.websock.benchmarks.harness;

import java.util.Arrays;

/**
 * Round-trip times in log-linear buckets, like HdrHistogram with two significant digits: values below 128 ns
 * have a bucket each, larger values fall into 64 buckets per power of two, so a reported percentile is at most
 * 1/64 (1.6%) above the true value. Recording is a few shifts and an increment: no allocation, no lock (one
 * thread records).
 */
public final class LatencyHistogram {
    private static final int LINEAR = 128;
    private static final int SUB_BUCKETS = 64;
    /** Enough for values up to 2^62 ns. */
    private static final int BUCKETS = LINEAR + 56 * SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    public void record(long nanos) {
        long value = Math.max(0, nanos);
        counts[index(value)]++;
        total++;
        if (value > max) {
            max = value;
        }
    }

    public void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    /** The value below which a fraction {@code quantile} of the recorded values lie (the bucket's upper bound). */
    public long percentile(double quantile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    static int index(long value) {
        if (value < LINEAR) {
            return (int) value;
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - 6; // value >>> shift is in [64, 127]
        return LINEAR + (shift - 1) * SUB_BUCKETS + (int) (value >>> shift) - SUB_BUCKETS;
    }

    static long upperBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / SUB_BUCKETS + 1;
        long mantissa = (index - LINEAR) % SUB_BUCKETS + SUB_BUCKETS;
        return ((mantissa + 1) << shift) - 1;
    }
}
