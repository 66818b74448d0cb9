package dev.websock.utf8.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.websock.utf8.Rfc3629;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The automaton's packed results, and the history of three bytes from which it resumes between pieces. */
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

    /**
     * After any valid UTF-8, the state follows from the last three bytes alone: every code point cut after each
     * of its bytes, behind every kind of code point (whose continuation bytes stand before the lead), and in
     * pieces of every length shifted into the history.
     */
    @Test
    void theStateAfterAValidPrefixFollowsFromItsLastThreeBytes() {
        String[] contexts = {"", "41", "C3 A9", "E2 82 AC", "F0 9F 98 80", "41 C3 A9", "41 41 41"};
        byte[] a = new byte[8];
        long checked = 0;
        for (String context : contexts) {
            byte[] before = Rfc3629.hex(context);
            System.arraycopy(before, 0, a, 0, before.length);
            for (int cp = 0; cp <= 0x10FFFF; cp++) {
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    continue;
                }
                byte[] encoded = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                System.arraycopy(encoded, 0, a, before.length, encoded.length);
                for (int cut = 1; cut <= encoded.length; cut++) {
                    int end = before.length + cut;
                    int expected = Utf8Dfa.stateOf(Utf8Dfa.scan(a, 0, end, Utf8Dfa.ACCEPT));
                    int whole = Utf8Dfa.history(0, a, 0, end);
                    int byByte = 0;
                    for (int i = 0; i < end; i++) {
                        byByte = Utf8Dfa.history(byByte, a, i, i + 1);
                    }
                    int segment = Utf8Dfa.history(Utf8Dfa.history(0, MemorySegment.ofArray(a), 0, end / 2),
                            MemorySegment.ofArray(a), end / 2, end);
                    assertEquals(whole, byByte, "history one byte at a time");
                    assertEquals(whole, segment, "history over a segment, in two pieces");
                    if (expected != Utf8Dfa.stateAfter(whole)) {
                        assertEquals(expected, Utf8Dfa.stateAfter(whole), Rfc3629.hex(a, 0, end));
                    }
                    checked++;
                }
            }
        }
        assertEquals(true, checked > 7L * 1_112_064, "checked " + checked);
    }

    @Test
    void aMessageShorterThanThreeBytesHasAsciiBeforeIt() {
        assertEquals(0, Utf8Dfa.history(0, new byte[0], 0, 0));
        assertEquals(0xC3 << 24 | 0x41 << 16, Utf8Dfa.history(0, Rfc3629.hex("41 C3"), 0, 2));
        assertEquals(Utf8Dfa.ACCEPT, Utf8Dfa.stateAfter(0));
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
