package dev.websock.utf8.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The exact UTF-8 automaton (RFC 3629 §4): the one place that decides whether bytes are valid UTF-8 and at
 * which byte they stop being so. The vector kernel only proves prefixes valid; every verdict and every
 * error index comes from here, so the kernels cannot disagree about where an error is.
 *
 * <p>A state says what the next byte must be. The automaton rejects at the earliest byte that no valid
 * UTF-8 can continue with: a stray continuation byte, {@code C0}, {@code C1}, {@code F5}..{@code FF}, an
 * overlong form ({@code E0 80}..{@code E0 9F}, {@code F0 80}..{@code F0 8F}), a surrogate ({@code ED A0}..
 * {@code ED BF}), a code point above U+10FFFF ({@code F4 90}..{@code F4 BF}), or a missing continuation.
 *
 * <p>Scans return a packed {@code long}: {@code index << 4 | state}. On rejection, {@code index} is the
 * offending byte and the state is {@link #REJECT}; otherwise {@code index} is the end of the region and the
 * state is where the automaton stands there ({@link #ACCEPT} at a code point boundary).
 */
public final class Utf8Dfa {

    /** Between code points: a message may end here. */
    public static final int ACCEPT = 0;
    private static final int CONT1 = 1; // one more continuation byte, 80..BF
    private static final int CONT2 = 2; // two more, the next 80..BF
    private static final int E0 = 3; // after E0: A0..BF (80..9F would be overlong)
    private static final int ED = 4; // after ED: 80..9F (A0..BF would encode a surrogate)
    private static final int CONT3 = 5; // three more, the next 80..BF
    private static final int F0 = 6; // after F0: 90..BF (80..8F would be overlong)
    private static final int F4 = 7; // after F4: 80..8F (90..BF would exceed U+10FFFF)
    /** Not UTF-8, whatever follows. */
    public static final int REJECT = 8;

    // Byte classes: the rows of the transition table are indexed by state << 4 | class.
    private static final int ASCII = 0, C80 = 1, C90 = 2, CA0 = 3, BAD = 4, L2 = 5, LE0 = 6, L3 = 7,
            LED = 8, LF0 = 9, L4 = 10, LF4 = 11;

    private static final byte[] CLASS = new byte[256];
    private static final byte[] NEXT = new byte[9 << 4];

    static {
        for (int b = 0; b < 256; b++) {
            CLASS[b] = (byte) (b < 0x80 ? ASCII
                    : b < 0x90 ? C80
                    : b < 0xA0 ? C90
                    : b < 0xC0 ? CA0
                    : b < 0xC2 ? BAD
                    : b < 0xE0 ? L2
                    : b == 0xE0 ? LE0
                    : b == 0xED ? LED
                    : b < 0xF0 ? L3
                    : b == 0xF0 ? LF0
                    : b < 0xF4 ? L4
                    : b == 0xF4 ? LF4
                    : BAD);
        }
        java.util.Arrays.fill(NEXT, (byte) REJECT);
        set(ACCEPT, ASCII, ACCEPT);
        set(ACCEPT, L2, CONT1);
        set(ACCEPT, LE0, E0);
        set(ACCEPT, L3, CONT2);
        set(ACCEPT, LED, ED);
        set(ACCEPT, LF0, F0);
        set(ACCEPT, L4, CONT3);
        set(ACCEPT, LF4, F4);
        for (int cont : new int[] {C80, C90, CA0}) {
            set(CONT1, cont, ACCEPT);
            set(CONT2, cont, CONT1);
            set(CONT3, cont, CONT2);
        }
        set(E0, CA0, CONT1);
        set(ED, C80, CONT1);
        set(ED, C90, CONT1);
        set(F0, C90, CONT2);
        set(F0, CA0, CONT2);
        set(F4, C80, CONT2);
    }

    private static void set(int state, int byteClass, int next) {
        NEXT[state << 4 | byteClass] = (byte) next;
    }

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong SEGMENT_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Dfa() {}

    /** The state after {@code b} in {@code state}. */
    public static int step(int state, byte b) {
        return NEXT[state << 4 | CLASS[b & 0xFF]];
    }

    public static long pack(long index, int state) {
        return index << 4 | state;
    }

    public static int stateOf(long packed) {
        return (int) (packed & 0xF);
    }

    public static long indexOf(long packed) {
        return packed >>> 4;
    }

    /** Runs the automaton over {@code a[from, to)} from {@code state}; skips ASCII eight bytes at a time. */
    public static long scan(byte[] a, int from, int to, int state) {
        int i = from;
        while (i < to) {
            if (state == ACCEPT) {
                while (i <= to - Long.BYTES && ((long) LONG_LE.get(a, i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                while (i < to && a[i] >= 0) {
                    i++;
                }
                if (i == to) {
                    break;
                }
            }
            state = NEXT[state << 4 | CLASS[a[i] & 0xFF]];
            if (state == REJECT) {
                return pack(i, REJECT);
            }
            i++;
        }
        return pack(to, state);
    }

    /** {@link #scan(byte[], int, int, int)} over a memory segment. */
    public static long scan(MemorySegment s, long from, long to, int state) {
        long i = from;
        while (i < to) {
            if (state == ACCEPT) {
                while (i <= to - Long.BYTES && (s.get(SEGMENT_LONG, i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                while (i < to && s.get(ValueLayout.JAVA_BYTE, i) >= 0) {
                    i++;
                }
                if (i == to) {
                    break;
                }
            }
            state = NEXT[state << 4 | CLASS[s.get(ValueLayout.JAVA_BYTE, i) & 0xFF]];
            if (state == REJECT) {
                return pack(i, REJECT);
            }
            i++;
        }
        return pack(to, state);
    }

    /**
     * The last three bytes of a message so far, shifted in from {@code a[from, to)} after the earlier ones in
     * {@code history}: the most recent byte in bits 24..31, the one before it in 16..23, the one before that in
     * 8..15, bits 0..7 zero (so that a vector of these ints has the three bytes in its last lanes, oldest first).
     * A message shorter than three bytes has zeros before it, which read as ASCII: a code point boundary.
     */
    public static int history(int history, byte[] a, int from, int to) {
        if (to - from >= 3) {
            return (a[to - 1] & 0xFF) << 24 | (a[to - 2] & 0xFF) << 16 | (a[to - 3] & 0xFF) << 8;
        }
        for (int i = from; i < to; i++) {
            history = (a[i] & 0xFF) << 24 | (history >>> 8 & 0x00FF_FF00);
        }
        return history;
    }

    /** {@link #history(int, byte[], int, int)} over a memory segment. */
    public static int history(int history, MemorySegment s, long from, long to) {
        if (to - from >= 3) {
            return (s.get(ValueLayout.JAVA_BYTE, to - 1) & 0xFF) << 24
                    | (s.get(ValueLayout.JAVA_BYTE, to - 2) & 0xFF) << 16
                    | (s.get(ValueLayout.JAVA_BYTE, to - 3) & 0xFF) << 8;
        }
        for (long i = from; i < to; i++) {
            history = (s.get(ValueLayout.JAVA_BYTE, i) & 0xFF) << 24 | (history >>> 8 & 0x00FF_FF00);
        }
        return history;
    }

    /**
     * The state after valid UTF-8 that ends with the three bytes of {@code history} (see
     * {@link #history(int, byte[], int, int)}). A sequence is at most four bytes (RFC 3629 §3), so one still
     * open began within the last three; continuation bytes before the oldest lead among them close a sequence
     * that began earlier, and the automaton runs from the first byte that is not one.
     */
    public static int stateAfter(int history) {
        if (history >= 0) {
            return ACCEPT; // the last byte is ASCII (the common case, and a whole message's start)
        }
        int shift = 8;
        while (shift < 32 && (history >>> shift & 0xC0) == 0x80) {
            shift += 8;
        }
        int state = ACCEPT;
        for (; shift < 32; shift += 8) {
            state = NEXT[state << 4 | CLASS[history >>> shift & 0xFF]];
        }
        return state;
    }

    /**
     * Runs the automaton over {@code a[proven, to)}, given that the message is valid up to {@code proven},
     * ending with the bytes of {@code history} and then {@code a[from, proven)}. Returns like
     * {@link #scan(byte[], int, int, int)}: the exact verdict after a kernel proved a prefix.
     */
    public static long resume(byte[] a, int from, int proven, int to, int history) {
        return scan(a, proven, to, stateAfter(history(history, a, from, proven)));
    }

    /** {@link #resume(byte[], int, int, int, int)} over a memory segment. */
    public static long resume(MemorySegment s, long from, long proven, long to, int history) {
        return scan(s, proven, to, stateAfter(history(history, s, from, proven)));
    }
}
