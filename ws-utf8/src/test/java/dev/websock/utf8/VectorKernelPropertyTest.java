package dev.websock.utf8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.utf8.Texts.Mutation;
import dev.websock.utf8.kernel.KernelProbe;
import dev.websock.utf8.kernel.ScalarKernel;
import dev.websock.utf8.kernel.Utf8Dfa;
import dev.websock.utf8.kernel.VectorKernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * The vector kernel only ever proves prefixes: what it proves is valid (though it may end inside a code point),
 * and the automaton resumed there gives the verdict and index the automaton alone gives.
 */
class VectorKernelPropertyTest {

    @Provide
    Arbitrary<byte[]> encoded() {
        return Texts.encodedTexts();
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Texts.mutations();
    }

    /** Uniform: the default bias towards small numbers would rarely reach four blocks. */
    @Provide
    Arbitrary<Integer> asciiRuns() {
        return Arbitraries.integers().between(0, 600).withDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<Integer> garbage() {
        return Texts.interestingBytes();
    }

    @Property
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void provenPrefixesAreValidAndVerdictsAgreeWithTheAutomatonAlone(@ForAll("encoded") byte[] text,
            @ForAll @Size(max = 3) List<@From("mutations") Mutation> mutations,
            @ForAll @IntRange(max = 70) int before, @ForAll @IntRange(max = 70) int after,
            @ForAll("garbage") int garbage) {
        byte[] bytes = Mutation.applyAll(text, mutations);
        byte[] a = amidGarbage(bytes, 0, bytes.length, before, after, garbage);
        int from = before;
        int to = before + bytes.length;
        long alone = Utf8Dfa.scan(a, from, to, Utf8Dfa.ACCEPT);
        // The generators must reach the vector kernel with both valid and broken input, or this proves little.
        int state = Utf8Dfa.stateOf(alone);
        Statistics.label("length").collect(bytes.length >= 2 * KernelProbe.vectorLength() ? "two blocks" : "shorter");
        Statistics.label("verdict").collect(state == Utf8Dfa.ACCEPT ? "valid"
                : state == Utf8Dfa.REJECT ? "invalid" : "truncated");
        Statistics.label("length").coverage(c -> c.check("two blocks").percentage(p -> p >= 25));
        Statistics.label("verdict").coverage(c -> {
            c.check("valid").percentage(p -> p >= 10);
            c.check("invalid").percentage(p -> p >= 20);
        });

        int b = VectorKernel.INSTANCE.validPrefix(a, from, to, 0);
        assertProven(alone, b, Utf8Dfa.scan(a, from, b, Utf8Dfa.ACCEPT), Utf8Dfa.resume(a, from, b, to, 0),
                from, to);
        assertEquals(from, ScalarKernel.INSTANCE.validPrefix(a, from, to, 0), "the scalar kernel proves nothing");

        MemorySegment heap = MemorySegment.ofArray(a);
        assertEquals(alone, Utf8Dfa.scan(heap, from, to, Utf8Dfa.ACCEPT), "automaton on a segment");
        long bh = VectorKernel.INSTANCE.validPrefix(heap, from, to, 0);
        assertEquals(b, bh, "heap segment and array prove the same prefix");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment off = arena.allocate(a.length + 1).asSlice(1, a.length); // misaligned
            off.copyFrom(heap);
            long bn = VectorKernel.INSTANCE.validPrefix(off, from, to, 0);
            assertProven(alone, bn, Utf8Dfa.scan(off, from, bn, Utf8Dfa.ACCEPT),
                    Utf8Dfa.resume(off, from, bn, to, 0), from, to);
            assertEquals(from, ScalarKernel.INSTANCE.validPrefix(off, from, to, 0));
        }
    }

    /**
     * The second piece of a message split anywhere, alone in its own array with garbage around it, and the
     * first piece's last three bytes as history: the kernel proves what it proves from the whole message, and
     * the automaton resumed there gives the same verdict and index.
     */
    @Property
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void aPieceWithTheHistoryOfTheOneBeforeGetsTheVerdictOfTheWholeMessage(@ForAll("encoded") byte[] text,
            @ForAll @Size(max = 2) List<@From("mutations") Mutation> mutations,
            @ForAll @IntRange(max = 100) int splitPercent, @ForAll @IntRange(max = 9) int before,
            @ForAll("garbage") int garbage) {
        byte[] bytes = Mutation.applyAll(text, mutations);
        int split = bytes.length * splitPercent / 100;
        long head = Utf8Dfa.scan(bytes, 0, split, Utf8Dfa.ACCEPT);
        if (Utf8Dfa.stateOf(head) == Utf8Dfa.REJECT) {
            return; // the history of a prefix that already failed is never used
        }
        int history = Utf8Dfa.history(0, bytes, 0, split);
        assertEquals(Utf8Dfa.stateOf(head), Utf8Dfa.stateAfter(history), "the state follows from the history");
        long alone = Utf8Dfa.scan(bytes, 0, bytes.length, Utf8Dfa.ACCEPT);
        Statistics.label("length").collect(bytes.length - split >= KernelProbe.vectorLength() + 3 ? "a block" : "shorter");
        Statistics.label("length").coverage(c -> c.check("a block").percentage(p -> p >= 25));

        int length = bytes.length - split;
        byte[] a = amidGarbage(bytes, split, length, before, 4, garbage);
        int from = before;
        int to = before + length;
        int b = VectorKernel.INSTANCE.validPrefix(a, from, to, history);
        long resumed = Utf8Dfa.resume(a, from, b, to, history);
        assertTrue(b >= from && b <= to, () -> "validPrefix " + b + " outside [" + from + ", " + to + "]");
        assertEquals(Utf8Dfa.indexOf(alone), Utf8Dfa.indexOf(resumed) - from + split, "index");
        assertEquals(Utf8Dfa.stateOf(alone), Utf8Dfa.stateOf(resumed), "state");
        if (Utf8Dfa.stateOf(alone) != Utf8Dfa.REJECT && KernelProbe.provesWhole(length)) {
            assertEquals(to, b, "on valid input the kernel proves the whole piece");
        }
        assertEquals(b, VectorKernel.INSTANCE.validPrefix(MemorySegment.ofArray(a), from, to, history),
                "segment and array prove the same prefix");
    }

    /**
     * What the kernel proves ASCII is ASCII, a region that is all ASCII is proven whole from four blocks on (the
     * fast path of a streamed piece), and arrays and segments agree; the scalar kernel proves nothing.
     */
    @Property
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void asciiPrefixesAreAsciiAndWholeAsciiRegionsAreProvenWhole(@ForAll("encoded") byte[] text,
            @ForAll("asciiRuns") int asciiRun, @ForAll @IntRange(max = 9) int before,
            @ForAll("garbage") int garbage) {
        byte[] bytes = new byte[asciiRun + text.length];
        Arrays.fill(bytes, 0, asciiRun, (byte) 'a');
        System.arraycopy(text, 0, bytes, asciiRun, text.length);
        byte[] a = amidGarbage(bytes, 0, bytes.length, before, 4, garbage);
        int from = before;
        int to = before + bytes.length;
        int scan = from;
        while (scan < to && a[scan] >= 0) {
            scan++;
        }
        int firstNonAscii = scan;
        int vl = KernelProbe.vectorLength();
        Statistics.label("ascii").collect(firstNonAscii - from >= 4 * vl ? "four blocks or more" : "shorter");
        Statistics.label("ascii").coverage(c -> c.check("four blocks or more").percentage(p -> p >= 25));

        int b = VectorKernel.INSTANCE.asciiPrefix(a, from, to);
        assertTrue(b >= from && b <= firstNonAscii,
                () -> "asciiPrefix " + b + " outside [" + from + ", first non-ASCII byte " + firstNonAscii + "]");
        if (firstNonAscii == to && to - from >= 4 * vl) {
            assertEquals(to, b, "an ASCII region of four blocks or more is proven whole");
        }
        if (firstNonAscii - from >= 4 * vl) {
            // At least its first group, unless that group overlaps the last one (which then leaves validPrefix a
            // whole block and the three bytes before it).
            int least = Math.min(from + 4 * vl, to - (vl + 3));
            assertTrue(b >= least, () -> "an ASCII run of four blocks or more is proven to " + least + ": " + b);
        }
        assertEquals(b, VectorKernel.INSTANCE.asciiPrefix(MemorySegment.ofArray(a), from, to), "heap segment");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment off = arena.allocate(a.length + 1).asSlice(1, a.length);
            off.copyFrom(MemorySegment.ofArray(a));
            assertEquals(b, VectorKernel.INSTANCE.asciiPrefix(off, from, to), "native segment");
        }
        assertEquals(from, ScalarKernel.INSTANCE.asciiPrefix(a, from, to), "the scalar kernel proves nothing");
    }

    /**
     * {@code bytes[offset, offset + length)} copied alone, with {@code before} and {@code after} bytes of
     * {@code garbage} around it: a kernel that reads outside its region gets caught.
     */
    private static byte[] amidGarbage(byte[] bytes, int offset, int length, int before, int after, int garbage) {
        byte[] a = new byte[before + length + after];
        Arrays.fill(a, (byte) garbage);
        System.arraycopy(bytes, offset, a, before, length);
        return a;
    }

    private static void assertProven(long alone, long b, long prefixScan, long restScan, int from, int to) {
        assertTrue(b >= from && b <= to, () -> "validPrefix " + b + " outside [" + from + ", " + to + "]");
        assertEquals(b, Utf8Dfa.indexOf(prefixScan), () -> "[" + from + ", " + b + ") is not a valid prefix");
        assertTrue(Utf8Dfa.stateOf(prefixScan) != Utf8Dfa.REJECT,
                () -> "[" + from + ", " + b + ") is not a valid prefix");
        assertEquals(alone, restScan, "the automaton resumed after the proven prefix agrees with the automaton alone");
        if (Utf8Dfa.stateOf(alone) == Utf8Dfa.ACCEPT && KernelProbe.provesWhole(to - from)) {
            int vl = KernelProbe.vectorLength();
            assertEquals(to, b, () -> "on valid input the kernel proves the whole region: " + b + " of "
                    + from + ".." + to + " (VL " + vl + ")");
        }
    }
}
