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
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * The vector kernel only ever proves prefixes: what it proves is valid and ends at a code point boundary, and
 * the automaton run from there gives the verdict and index the automaton alone gives.
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
        byte[] bytes = text;
        for (Mutation mutation : mutations) {
            bytes = mutation.applyTo(bytes);
        }
        byte[] a = new byte[before + bytes.length + after];
        Arrays.fill(a, (byte) garbage);
        System.arraycopy(bytes, 0, a, before, bytes.length);
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

        int b = VectorKernel.INSTANCE.validPrefix(a, from, to);
        assertProven(alone, b, Utf8Dfa.scan(a, from, b, Utf8Dfa.ACCEPT), Utf8Dfa.scan(a, b, to, Utf8Dfa.ACCEPT),
                from, to);
        assertEquals(from, ScalarKernel.INSTANCE.validPrefix(a, from, to), "the scalar kernel proves nothing");

        MemorySegment heap = MemorySegment.ofArray(a);
        assertEquals(alone, Utf8Dfa.scan(heap, from, to, Utf8Dfa.ACCEPT), "automaton on a segment");
        long bh = VectorKernel.INSTANCE.validPrefix(heap, from, to);
        assertEquals(b, bh, "heap segment and array prove the same prefix");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment off = arena.allocate(a.length + 1).asSlice(1, a.length); // misaligned
            off.copyFrom(heap);
            long bn = VectorKernel.INSTANCE.validPrefix(off, from, to);
            assertProven(alone, bn, Utf8Dfa.scan(off, from, bn, Utf8Dfa.ACCEPT),
                    Utf8Dfa.scan(off, bn, to, Utf8Dfa.ACCEPT), from, to);
            assertEquals(from, ScalarKernel.INSTANCE.validPrefix(off, from, to));
        }
    }

    private static void assertProven(long alone, long b, long prefixScan, long restScan, int from, int to) {
        assertTrue(b >= from && b <= to, () -> "validPrefix " + b + " outside [" + from + ", " + to + "]");
        assertEquals(Utf8Dfa.pack(b, Utf8Dfa.ACCEPT), prefixScan,
                () -> "[" + from + ", " + b + ") is not valid UTF-8 ending at a boundary");
        assertEquals(alone, restScan, "the automaton from the proven prefix agrees with the automaton alone");
        if (Utf8Dfa.stateOf(alone) == Utf8Dfa.ACCEPT && to - from >= KernelProbe.vectorLength()) {
            int vl = KernelProbe.vectorLength();
            assertTrue(b > to - vl - 4, () -> "on valid input the kernel proves all but the tail: " + b + " of "
                    + from + ".." + to + " (VL " + vl + ")");
        }
    }
}
