package dev.websock.utf8.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel. The species is chosen once, when this class initialises, and held in a
 * {@code static final} field: the JIT compiles Vector API calls to single instructions only when the
 * species is a constant. {@value #VECTOR_BITS_PROPERTY} forces a width (512, 256 or 128 bits); the
 * default is the CPU's preferred one.
 *
 * <h2>UTF-8</h2>
 * Each block of {@code VL} bytes is checked against the three bytes before it, loaded as overlapping
 * vectors at {@code i-1}, {@code i-2}, {@code i-3} (x86 has no byte shifts; unaligned loads are cheap). Every
 * invalid two-byte pattern of RFC 3629 §4 falls in one of eight classes, one bit each; three 16-entry
 * lookups (high nibble of the previous byte, its low nibble, high nibble of this byte) return the classes
 * each nibble is compatible with, and a pair is invalid when all three share a bit. Continuation bytes
 * that must be third or fourth in their sequence are found from the bytes two and three back. A block of
 * ASCII skips all that. The kernel stops at the first bad block and leaves the exact error to
 * {@link Utf8Dfa}; it never decides a verdict alone.
 */
public final class VectorKernel implements Kernel {

    /** System property that forces the vector width in bits (512, 256 or 128). */
    public static final String VECTOR_BITS_PROPERTY = "dev.websock.utf8.vectorBits";

    static final VectorSpecies<Byte> SPECIES = chooseSpecies(System.getProperty(VECTOR_BITS_PROPERTY));
    private static final VectorSpecies<Integer> INT_SPECIES = SPECIES.withLanes(int.class);
    private static final int VL = SPECIES.length();

    // Error classes of a (previous byte, this byte) pair, one bit each.
    private static final int TOO_SHORT = 1 << 0; // a lead not followed by a continuation: 11xxxxxx 0xxxxxxx, 11xxxxxx 11xxxxxx
    private static final int TOO_LONG = 1 << 1; // a continuation after ASCII: 0xxxxxxx 10xxxxxx
    private static final int OVERLONG_3 = 1 << 2; // 11100000 100xxxxx
    private static final int TOO_LARGE = 1 << 3; // 11110100 1001xxxx, 11110100 101xxxxx, 11110101+ 1001xxxx..
    private static final int SURROGATE = 1 << 4; // 11101101 101xxxxx
    private static final int OVERLONG_2 = 1 << 5; // 1100000x 10xxxxxx
    private static final int TOO_LARGE_1000 = 1 << 6; // 11110101+ 1000xxxx
    private static final int OVERLONG_4 = 1 << 6; // 11110000 1000xxxx (shares the bit: same high nibbles)
    private static final int TWO_CONTS = 1 << 7; // 10xxxxxx 10xxxxxx: an error unless a third or fourth byte
    private static final int CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS; // classes that ignore the low nibble

    private static final ByteVector PREV_HIGH = table(
            TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, // 0xxx: ASCII
            TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS, // 10xx: continuation
            TOO_SHORT | OVERLONG_2, // 1100
            TOO_SHORT, // 1101
            TOO_SHORT | OVERLONG_3 | SURROGATE, // 1110
            TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4); // 1111
    private static final ByteVector PREV_LOW = table(
            CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, // xxxx0000: C0, E0, F0
            CARRY | OVERLONG_2, // C1
            CARRY, CARRY,
            CARRY | TOO_LARGE, // F4
            CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, // F5, F6 ...
            CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
            CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE, // ED
            CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000);
    private static final ByteVector THIS_HIGH = table(
            TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, // ASCII
            TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4, // 1000
            TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE, // 1001
            TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE, // 1010
            TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE, // 1011
            TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT); // 11xx: a lead where a continuation was due

    public static final VectorKernel INSTANCE = new VectorKernel();

    private VectorKernel() {}

    private static VectorSpecies<Byte> chooseSpecies(String forcedBits) {
        VectorSpecies<Byte> species = forcedBits == null || forcedBits.isBlank()
                ? ByteVector.SPECIES_PREFERRED
                : VectorSpecies.of(byte.class, VectorShape.forBitSize(Integer.parseInt(forcedBits.trim())));
        if (species.length() < 16) {
            // The nibble tables need 16 lanes; narrower vectors would not beat the scalar kernel anyway.
            throw new UnsupportedOperationException(
                    "vector kernel needs at least 128-bit vectors; this CPU offers " + species.vectorBitSize());
        }
        return species;
    }

    /** A 16-entry table repeated across the vector, so a lookup by nibble works in every lane. */
    private static ByteVector table(int... entries) {
        byte[] lanes = new byte[VL];
        for (int i = 0; i < VL; i++) {
            lanes[i] = (byte) entries[i & 15];
        }
        return ByteVector.fromArray(SPECIES, lanes, 0);
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    // ---------------------------------------------------------------- unmasking (RFC 6455 §5.3)

    /** The key repeated across the vector: an int lane holds it little-endian, so bytes come out in wire order. */
    private static ByteVector keyVector(int key) {
        return IntVector.broadcast(INT_SPECIES, Integer.reverseBytes(key)).reinterpretAsBytes();
    }

    @Override
    public int unmask(byte[] src, int srcFrom, byte[] dst, int dstFrom, int length, int mask, int phase) {
        int done = 0;
        if (length >= VL) {
            ByteVector key = keyVector(Kernel.keyAt(mask, phase));
            int bound = SPECIES.loopBound(length);
            for (; done < bound; done += VL) {
                ByteVector.fromArray(SPECIES, src, srcFrom + done)
                        .lanewise(VectorOperators.XOR, key)
                        .intoArray(dst, dstFrom + done);
            }
        }
        // VL is a multiple of four, so the tail starts at the same phase.
        return ScalarKernel.INSTANCE.unmask(src, srcFrom + done, dst, dstFrom + done, length - done, mask, phase);
    }

    @Override
    public int unmask(MemorySegment src, long srcFrom, MemorySegment dst, long dstFrom, long length, int mask,
            int phase) {
        long done = 0;
        if (length >= VL) {
            ByteVector key = keyVector(Kernel.keyAt(mask, phase));
            long bound = SPECIES.loopBound(length);
            for (; done < bound; done += VL) {
                ByteVector.fromMemorySegment(SPECIES, src, srcFrom + done, ByteOrder.LITTLE_ENDIAN)
                        .lanewise(VectorOperators.XOR, key)
                        .intoMemorySegment(dst, dstFrom + done, ByteOrder.LITTLE_ENDIAN);
            }
        }
        return ScalarKernel.INSTANCE.unmask(src, srcFrom + done, dst, dstFrom + done, length - done, mask, phase);
    }

    // ---------------------------------------------------------------- UTF-8 (RFC 3629 §4)

    @Override
    public int validPrefix(byte[] a, int from, int to) {
        if (to - from < VL) {
            return from; // short input: the scalar automaton is faster than any vector set-up
        }
        // The first block starts at a code point boundary: what came before counts as ASCII (zero).
        ByteVector first = ByteVector.fromArray(SPECIES, a, from);
        if (!isAscii(first) && hasError(first, first.unslice(1), first.unslice(2), first.unslice(3))) {
            return from;
        }
        int i = from + VL;
        for (; i <= to - VL; i += VL) {
            ByteVector block = ByteVector.fromArray(SPECIES, a, i);
            if (isAscii(block)) {
                if (endsInsideSequence(a[i - 1], a[i - 2], a[i - 3])) {
                    break;
                }
            } else if (hasError(block,
                    ByteVector.fromArray(SPECIES, a, i - 1),
                    ByteVector.fromArray(SPECIES, a, i - 2),
                    ByteVector.fromArray(SPECIES, a, i - 3))) {
                break;
            }
        }
        return boundaryBefore(a[i - 1], a[i - 2], a[i - 3], i);
    }

    @Override
    public long validPrefix(MemorySegment s, long from, long to) {
        if (to - from < VL) {
            return from;
        }
        ByteVector first = load(s, from);
        if (!isAscii(first) && hasError(first, first.unslice(1), first.unslice(2), first.unslice(3))) {
            return from;
        }
        long i = from + VL;
        for (; i <= to - VL; i += VL) {
            ByteVector block = load(s, i);
            if (isAscii(block)) {
                if (endsInsideSequence(byteAt(s, i - 1), byteAt(s, i - 2), byteAt(s, i - 3))) {
                    break;
                }
            } else if (hasError(block, load(s, i - 1), load(s, i - 2), load(s, i - 3))) {
                break;
            }
        }
        return boundaryBefore(byteAt(s, i - 1), byteAt(s, i - 2), byteAt(s, i - 3), i);
    }

    private static ByteVector load(MemorySegment s, long offset) {
        return ByteVector.fromMemorySegment(SPECIES, s, offset, ByteOrder.LITTLE_ENDIAN);
    }

    private static byte byteAt(MemorySegment s, long offset) {
        return s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset);
    }

    private static boolean isAscii(ByteVector block) {
        return !block.compare(VectorOperators.LT, (byte) 0).anyTrue();
    }

    /** Whether the three bytes before an ASCII block leave a sequence open (an error: it needed a continuation). */
    private static boolean endsInsideSequence(byte back1, byte back2, byte back3) {
        return (back1 & 0xFF) >= 0xC0 || (back2 & 0xFF) >= 0xE0 || (back3 & 0xFF) >= 0xF0;
    }

    private static boolean hasError(ByteVector block, ByteVector prev1, ByteVector prev2, ByteVector prev3) {
        ByteVector special = prev1.lanewise(VectorOperators.LSHR, 4).selectFrom(PREV_HIGH)
                .and(prev1.and((byte) 0x0F).selectFrom(PREV_LOW))
                .and(block.lanewise(VectorOperators.LSHR, 4).selectFrom(THIS_HIGH));
        // Bytes two or three after a 3- or 4-byte lead must be continuations; exactly those may form TWO_CONTS.
        VectorMask<Byte> mustContinue = prev2.compare(VectorOperators.UGE, (byte) 0xE0)
                .or(prev3.compare(VectorOperators.UGE, (byte) 0xF0));
        ByteVector expected = ByteVector.zero(SPECIES).blend((byte) TWO_CONTS, mustContinue);
        return special.compare(VectorOperators.NE, expected).anyTrue();
    }

    /**
     * The last code point boundary at or before {@code i}, given that everything before {@code i} was proven
     * valid except sequences still open at {@code i}: the nearest of the three bytes before {@code i} that is a
     * lead (or an invalid byte above {@code BF}), or {@code i} itself. Starting the automaton there re-reads at
     * most three bytes and finds any error that involves them.
     */
    private static long boundaryBefore(byte back1, byte back2, byte back3, long i) {
        if ((back1 & 0xFF) >= 0xC0) {
            return i - 1;
        }
        if (back1 >= 0) {
            return i;
        }
        if ((back2 & 0xFF) >= 0xC0) {
            return i - 2;
        }
        if (back2 >= 0) {
            return i;
        }
        return (back3 & 0xFF) >= 0xC0 ? i - 3 : i;
    }

    private static int boundaryBefore(byte back1, byte back2, byte back3, int i) {
        return (int) boundaryBefore(back1, back2, back3, (long) i);
    }
}
