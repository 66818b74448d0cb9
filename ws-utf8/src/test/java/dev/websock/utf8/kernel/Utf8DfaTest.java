package dev.websock.utf8.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.websock.utf8.Rfc3629;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The automaton's packed results and {@code settle}, which hands over to a kernel at the next boundary. */
class Utf8DfaTest {

    @Test
    void packedResultsKeepIndexAndState() {
        for (long index : new long[] {0, 1, 63, 1L << 40}) {
            for (int state : new int[] {Utf8Dfa.ACCEPT, 3, 7, Utf8Dfa.REJECT}) {
                long packed = Utf8Dfa.pack(index, state);
                assertEquals(index, Utf8Dfa.indexOf(packed));
                assertEquals(state, Utf8Dfa.stateOf(packed));
            }
        }
    }

    @ParameterizedTest(name = "settle {0} from {1}..{2}: stops at {3}, accepting {4}")
    @CsvSource({
        // hex, from, to, expected index, ends between code points (A) / inside (I) / rejected (R)
        "E2 82 AC 41 41, 1, 5, 3, A", // the rest of a 3-byte sequence, then stops: a kernel takes over at 3
        "E2 82 AC 41 41, 1, 2, 2, I", // the chunk ends inside the sequence
        "E2 41 41, 1, 3, 1, R",       // missing continuation: the ASCII byte is the bad one
        "F0 90 80 80 41, 1, 5, 4, A",
        "F0 8F 80 80, 1, 4, 1, R",    // overlong 4-byte: rejected at the second byte
        "ED A0 80, 1, 3, 1, R",       // surrogate
        "41 42, 0, 2, 0, A",          // already between code points: nothing to do
    })
    void settleRunsOnlyToTheNextBoundary(String hex, int from, int to, int expectedIndex, char outcome) {
        byte[] a = Rfc3629.hex(hex);
        int state = Utf8Dfa.ACCEPT;
        for (int i = 0; i < from; i++) {
            state = Utf8Dfa.step(state, a[i]);
        }
        for (long settled : new long[] {Utf8Dfa.settle(a, from, to, state),
                Utf8Dfa.settle(MemorySegment.ofArray(a), from, to, state)}) {
            assertEquals(expectedIndex, Utf8Dfa.indexOf(settled));
            switch (outcome) {
                case 'A' -> assertEquals(Utf8Dfa.ACCEPT, Utf8Dfa.stateOf(settled));
                case 'R' -> assertEquals(Utf8Dfa.REJECT, Utf8Dfa.stateOf(settled));
                default -> {
                    int s = Utf8Dfa.stateOf(settled);
                    assertEquals(true, s != Utf8Dfa.ACCEPT && s != Utf8Dfa.REJECT, "inside a code point: " + s);
                }
            }
        }
    }

    @Test
    void scanSkipsAsciiWordsButStopsAtTheFirstBadByteInside() {
        // 8-byte ASCII words are skipped; the error sits right after a word, and inside the next one.
        for (int at = 0; at < 40; at++) {
            byte[] a = new byte[48];
            java.util.Arrays.fill(a, (byte) 'a');
            a[at] = (byte) 0x80;
            assertEquals(Utf8Dfa.pack(at, Utf8Dfa.REJECT), Utf8Dfa.scan(a, 0, a.length, Utf8Dfa.ACCEPT));
            assertEquals(Utf8Dfa.pack(at, Utf8Dfa.REJECT),
                    Utf8Dfa.scan(MemorySegment.ofArray(a), 0, a.length, Utf8Dfa.ACCEPT));
            assertEquals(Utf8Dfa.pack(at, Utf8Dfa.ACCEPT), Utf8Dfa.scan(a, 0, at, Utf8Dfa.ACCEPT));
        }
    }
}
