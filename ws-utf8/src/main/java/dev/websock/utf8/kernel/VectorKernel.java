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
 * vectors at {@code i-1}, {@code i-2}, {@code i-3} (x86 has no byte shifts; unaligned loads are cheap); the
 * first block of a region takes them from the history the caller passes (the last three bytes of the earlier
 * pieces of the message, zeros at its start), so a piece of a message starts in the vector loop with no scalar
 * work at the seam. Every
 * invalid two-byte pattern of RFC 3629 §4 falls in one of eight classes, one bit each; three 16-entry
 * lookups (high nibble of the previous byte, its low nibble, high nibble of this byte) return the classes
 * each nibble is compatible with, and a pair is invalid when all three share a bit. Continuation bytes
 * that must be third or fourth in their sequence are found from the bytes two and three back. A block of
 * ASCII skips all that. The kernel stops at the first bad block and leaves the exact error to
 * {@link Utf8Dfa}; it never decides a verdict alone. A region shorter than a block and the three bytes before it
 * is one block with its lanes past the region masked off, with 512-bit vectors, from 16 bytes on; shorter ones, and
 * all of them with narrower vectors, are left to the automaton.
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

    /**
     * Where the first block's look-backs come from: lane {@code j} holds {@code VL - 3 + j}, which indexes the
     * byte three before the block's lane {@code j} in the pair (history vector, block); plus one and two, the bytes
     * two and one before. One two-vector permute each ({@code selectFrom(v1, v2)}, a single VPERMT2B with
     * AVX-512 VBMI) where {@code slice} compiled to two permutes and a blend: a message fed in 1 KiB pieces
     * validates 7-12% faster (vector-512, AMD EPYC; benchmarks/RESULTS.md). One constant, the other two added
     * where they are used: with three constants, held through the loop, one-shot validation was 8% slower under
     * AVX2 (256-bit vectors, sixteen registers).
     */
    private static final ByteVector THREE_BACK = ByteVector.zero(SPECIES).addIndex(1).add((byte) (VL - 3));

    /**
     * Whether regions of {@link #SHORT_MIN} to {@code VL + 2} bytes take one masked block ({@code validShort}) rather
     * than the automaton: when the CPU prefers 512-bit vectors, which on x86 means AVX-512BW, whose masked loads are
     * single instructions. A 512-bit species forced on a CPU without them runs every vector operation in Java and
     * is slow throughout; it does not take this path too.
     */
    static final boolean SHORT_BLOCK = VL == 64 && ByteVector.SPECIES_PREFERRED.length() >= 64;

    /** The shortest region the masked block takes; below it the automaton is as fast. */
    static final int SHORT_MIN = 16;

    /**
     * The shortest region of native memory whose stores {@link #unmask(MemorySegment, long, MemorySegment, long,
     * long, int, int)} aligns to the vector ({@code unmaskAligning}). Below it the step costs more than it saves: at
     * 8 KiB the time was the same either way, at 16 KiB it saved 10%, at 64 KiB 30% (AMD EPYC, JDK 25).
     */
    static final long ALIGN_FROM = 16 * 1024;

    private static final VectorSpecies<Byte> NARROW = ByteVector.SPECIES_128;
    private static final int NARROW_VL = 16;

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

    /**
     * Unmasking a heap array in place goes to the eight-byte loop ({@link ScalarKernel}): C2's auto-vectorizer
     * compiles that loop on one array to full-width vector code, also when it compiles that loop on its own, which
     * beat this class's Vector API loop at every size we measured (1 KiB: 80 vs 17-32 GB/s; 64 KiB: 108 vs 71 GB/s,
     * AVX-512, JDK 25), partly because building the key vector from a scalar is not intrinsified.
     *
     * <p>A copy of a vector's length or more between two regions takes the vector loop: C2 vectorizes the
     * eight-byte loop over two arrays only where it can prove that they do not overlap, and compiled on its own that
     * loop stays scalar. A heap-to-heap copy of 1 MiB then takes 29 µs instead of 56 (median; a plain copy takes 23);
     * at 1 KiB and 64 KiB the fastest forks are as fast, the slowest up to 30% slower, because this loop cannot align
     * its stores as C2's does and so depends on where the arrays lie (vector-512, AMD EPYC, JDK 25). The loop is the
     * one of {@link #unmask(MemorySegment, long, MemorySegment, long, long, int, int)}, tail included.
     */
    @Override
    public int unmask(byte[] src, int srcFrom, byte[] dst, int dstFrom, int length, int mask, int phase) {
        if (src == dst && srcFrom == dstFrom || length < VL) {
            return ScalarKernel.INSTANCE.unmask(src, srcFrom, dst, dstFrom, length, mask, phase);
        }
        ByteVector key = keyVector(Kernel.keyAt(mask, phase));
        int bound = SPECIES.loopBound(length);
        int blocks = bound < length ? bound - VL : bound;
        for (int done = 0; done < blocks; done += VL) {
            ByteVector.fromArray(SPECIES, src, srcFrom + done)
                    .lanewise(VectorOperators.XOR, key)
                    .intoArray(dst, dstFrom + done);
        }
        if (blocks < bound) {
            int last = length - VL;
            ByteVector tail = ByteVector.fromArray(SPECIES, src, srcFrom + last);
            ByteVector.fromArray(SPECIES, src, srcFrom + blocks)
                    .lanewise(VectorOperators.XOR, key)
                    .intoArray(dst, dstFrom + blocks);
            tail.lanewise(VectorOperators.XOR, keyVector(Kernel.keyAt(mask, phase + (last & 3))))
                    .intoArray(dst, dstFrom + last);
        }
        return (phase + length) & 3;
    }

    /**
     * Memory segments take the vector loop in place too: when this was decided the eight-byte loop did not vectorize
     * on them (29 GB/s at 64 KiB, against 100). Since it does, this loop is still faster below 64 KiB (125 B: 7
     * against 26 ns; 1 KiB: 70 against 49 GB/s); at 64 KiB it was as fast in some forks and up to a third slower in
     * others, as its stores fell in the buffer (AMD EPYC, JDK 25), until long regions of native memory had their
     * stores aligned ({@code unmaskAligning}): 64 KiB now takes 600-650 ns wherever it lies, as the eight-byte
     * loop does. Regions shorter than a vector take {@code unmaskShort}.
     *
     * <p>The tail is not a masked operation: x86 loads and stores the selected bytes of a vector only with AVX-512,
     * and elsewhere the Vector API does it lane by lane in Java, which made 125 B of direct memory take 136 ns
     * instead of 6 under AVX2. Instead the region's last {@code VL} bytes are one whole vector, loaded before the
     * last whole block is unmasked and stored after it: where the two overlap it stores what the block stored,
     * because none of its bytes had been unmasked yet when it was loaded, in place too. Only regions with a tail
     * take that step, and only then is the tail vector loaded at all: taking the step for every length made 1 KiB
     * take 23 ns instead of 13 at 256 bits, and loading the tail before the whole loop made 64 KiB + 8 B take
     * 840-910 ns instead of 610-780. See benchmarks/RESULTS.md.
     */
    @Override
    public int unmask(MemorySegment src, long srcFrom, MemorySegment dst, long dstFrom, long length, int mask,
            int phase) {
        if (length < VL) {
            return unmaskShort(src, srcFrom, dst, dstFrom, length, mask, phase);
        }
        if (length >= ALIGN_FROM && alignedStart(dst, dstFrom) != 0) {
            return unmaskAligning(src, srcFrom, dst, dstFrom, length, mask, phase);
        }
        ByteVector key = keyVector(Kernel.keyAt(mask, phase));
        long bound = SPECIES.loopBound(length);
        long blocks = bound < length ? bound - VL : bound;
        for (long done = 0; done < blocks; done += VL) {
            ByteVector.fromMemorySegment(SPECIES, src, srcFrom + done, ByteOrder.LITTLE_ENDIAN)
                    .lanewise(VectorOperators.XOR, key)
                    .intoMemorySegment(dst, dstFrom + done, ByteOrder.LITTLE_ENDIAN);
        }
        if (blocks < bound) {
            long last = length - VL;
            ByteVector tail = ByteVector.fromMemorySegment(SPECIES, src, srcFrom + last, ByteOrder.LITTLE_ENDIAN);
            ByteVector.fromMemorySegment(SPECIES, src, srcFrom + blocks, ByteOrder.LITTLE_ENDIAN)
                    .lanewise(VectorOperators.XOR, key)
                    .intoMemorySegment(dst, dstFrom + blocks, ByteOrder.LITTLE_ENDIAN);
            tail.lanewise(VectorOperators.XOR, keyVector(Kernel.keyAt(mask, phase + (int) (last & 3))))
                    .intoMemorySegment(dst, dstFrom + last, ByteOrder.LITTLE_ENDIAN);
        }
        return (int) ((phase + length) & 3);
    }

    /**
     * Unmasks a region shorter than one vector. The eight-byte loop unmasks the last one to seven bytes one at a
     * time, each a load and a store of its own, so from 16 to 63 bytes this uses 128-bit vectors instead: the last
     * 16 bytes are loaded first, as the loop's tail is, then the up to three whole 16-byte blocks before them are
     * unmasked, then the last 16 stored. Direct memory, vector-512 (AMD EPYC, JDK 25; benchmarks/RESULTS.md): 63 B
     * 25.5 ns before, 6.3 after; 31 B 21.9 and 6.3; 16 B 3.0 and 2.9; 24 B 5.9 and 6.3, because the benchmark
     * unmasks the same bytes again at once and its next load spans this call's two overlapping stores. The blocks
     * are written out: as a loop, 63 B took 9.3 ns. Regions of 64 bytes or more shorter than a vector (vectors wider
     * than 512 bits, as ARM's SVE allows) stay with the eight-byte loop.
     */
    private static int unmaskShort(MemorySegment src, long srcFrom, MemorySegment dst, long dstFrom, long length,
            int mask, int phase) {
        if (length < NARROW_VL || length >= 4 * NARROW_VL) {
            return ScalarKernel.INSTANCE.unmask(src, srcFrom, dst, dstFrom, length, mask, phase);
        }
        long last = length - NARROW_VL;
        int tailKey = Integer.reverseBytes(Kernel.keyAt(mask, phase + (int) (last & 3)));
        ByteVector key = IntVector.broadcast(IntVector.SPECIES_128, Integer.reverseBytes(Kernel.keyAt(mask, phase)))
                .reinterpretAsBytes();
        ByteVector tail = ByteVector.fromMemorySegment(NARROW, src, srcFrom + last, ByteOrder.LITTLE_ENDIAN);
        if (last > 0) {
            ByteVector.fromMemorySegment(NARROW, src, srcFrom, ByteOrder.LITTLE_ENDIAN)
                    .lanewise(VectorOperators.XOR, key)
                    .intoMemorySegment(dst, dstFrom, ByteOrder.LITTLE_ENDIAN);
            if (last > NARROW_VL) {
                ByteVector.fromMemorySegment(NARROW, src, srcFrom + NARROW_VL, ByteOrder.LITTLE_ENDIAN)
                        .lanewise(VectorOperators.XOR, key)
                        .intoMemorySegment(dst, dstFrom + NARROW_VL, ByteOrder.LITTLE_ENDIAN);
                if (last > 2 * NARROW_VL) {
                    ByteVector.fromMemorySegment(NARROW, src, srcFrom + 2 * NARROW_VL, ByteOrder.LITTLE_ENDIAN)
                            .lanewise(VectorOperators.XOR, key)
                            .intoMemorySegment(dst, dstFrom + 2 * NARROW_VL, ByteOrder.LITTLE_ENDIAN);
                }
            }
        }
        tail.lanewise(VectorOperators.XOR, IntVector.broadcast(IntVector.SPECIES_128, tailKey).reinterpretAsBytes())
                .intoMemorySegment(dst, dstFrom + last, ByteOrder.LITTLE_ENDIAN);
        return (int) ((phase + length) & 3);
    }

    /**
     * Unmasks a long region of native memory whose destination does not start on a multiple of the vector length,
     * so that the loop's stores are aligned. A store that crosses a cache line costs two, and a client's payload
     * starts wherever its frame's header ends, 6, 8 or 14 bytes after the frame (RFC 6455 §5.2: two bytes, an
     * extended length of 0, 2 or 8, the 4-byte key). {@code Unmasker.unmask}, 64 KiB of direct memory 6 bytes past a
     * 64-byte boundary: 919 ns, every 512-bit store crossing a line, before; 637 ns after (256 bits: 864 and 612;
     * 16 KiB: 195 and 177; 1 MiB: 15.7 and 11.8 µs; AMD EPYC, JDK 25; benchmarks/RESULTS.md).
     *
     * <p>The region's first vector and the first aligned one are loaded before either is stored: in place, where
     * they overlap, the second must see the bytes still masked, and it then stores what the first stored. The rest
     * goes through {@code unmask} again, now aligned, so this recurses once. The step is a method of its own because
     * inside {@code unmask} it made that method 437 bytes of bytecode, past C2's limit for inlining a hot method
     * (325, {@code FreqInlineSize}), and 1 KiB then took 24 ns instead of 14; a first vector held across the loop
     * instead made 1 KiB take 22 ns. Out of line the step costs 15-20 ns (4 KiB at 256 bits: 48 ns before, 64
     * after), which regions shorter than {@link #ALIGN_FROM} do not win back.
     *
     * <p>No call of ours stands between a vector's load and its store, here and in {@code unmaskShort}: the keys are
     * computed first and made vectors with the Vector API's own (always inlined) methods. C2 judged this step's
     * {@code keyVector} calls too rare to inline ("low call site frequency"), and the two vectors loaded before them
     * were then allocated on the heap, 192 B per call at 512 bits.
     */
    private int unmaskAligning(MemorySegment src, long srcFrom, MemorySegment dst, long dstFrom, long length,
            int mask, int phase) {
        long start = alignedStart(dst, dstFrom);
        int headKey = Integer.reverseBytes(Kernel.keyAt(mask, phase));
        int firstKey = Integer.reverseBytes(Kernel.keyAt(mask, phase + (int) (start & 3)));
        ByteVector head = ByteVector.fromMemorySegment(SPECIES, src, srcFrom, ByteOrder.LITTLE_ENDIAN);
        ByteVector first = ByteVector.fromMemorySegment(SPECIES, src, srcFrom + start, ByteOrder.LITTLE_ENDIAN);
        head.lanewise(VectorOperators.XOR, IntVector.broadcast(INT_SPECIES, headKey).reinterpretAsBytes())
                .intoMemorySegment(dst, dstFrom, ByteOrder.LITTLE_ENDIAN);
        first.lanewise(VectorOperators.XOR, IntVector.broadcast(INT_SPECIES, firstKey).reinterpretAsBytes())
                .intoMemorySegment(dst, dstFrom + start, ByteOrder.LITTLE_ENDIAN);
        long done = start + VL;
        return unmask(src, srcFrom + done, dst, dstFrom + done, length - done, mask, (phase + (int) (done & 3)) & 3);
    }

    /**
     * How many bytes past {@code dst[dstFrom]} the first address that is a multiple of the vector length lies,
     * from 0 to {@code VL - 1}; always 0 on the heap, where an array's address is neither known nor fixed (the
     * collector moves it, and a heap segment's {@code address()} is an offset into the array).
     */
    static long alignedStart(MemorySegment dst, long dstFrom) {
        return dst.isNative() ? -(dst.address() + dstFrom) & (VL - 1) : 0;
    }

    // ---------------------------------------------------------------- UTF-8 (RFC 3629 §4)

    /*
     * validPrefix comes twice, for arrays and for segments, with the block check written out in each loop
     * rather than in a helper: C2 compiles Vector API code to single instructions only when every method
     * that holds a vector is inlined into the loop, and a helper that takes vectors is not always inlined
     * (then every vector is boxed, ten times slower). The two loops must stay identical but for the loads.
     *
     * High nibbles come from a 16-bit shift and a mask: x86 has no byte shift, and a byte-lane shift by a
     * scalar is not compiled to vector code at 512 bits; the mask drops the bits shifted in from the
     * neighbouring byte.
     *
     * The scalar test inside the loop is written out where it is used, not in a helper: C2 did not inline such
     * helpers into these large methods (PrintInlining: "too big", "NodeCountInliningCutoff"), and a call inside the
     * loop costs a save and reload of the vector registers; inlined, a message fed in 1 KiB pieces of mostly-ASCII
     * text validates about 9% faster (latin, 64 KiB, vector-512, JMH on an AMD EPYC). Two tests matter here:
     * - An ASCII block is fine unless the three bytes before it, packed as in Utf8Dfa#history, stand inside a
     *   code point (RFC 3629 §3): a lead one back (>= C0), a 3- or 4-byte lead two back (>= E0), or a 4-byte lead
     *   three back (>= F0). Written out in the loops; isAsciiAfter for a short region's one block.
     * - A block finds a byte that no UTF-8 contains (RFC 3629 §1: C0, C1, F5..FF) only through the byte after
     *   it, so the last byte before where the loop stopped is proven only when it is not one (mayEndRegion, after
     *   the loop): the message is valid through i - 2 where a block failed at i, and through the end of the region
     *   when every block passed and its last byte may begin a sequence (one still open there is for the next
     *   piece's first block, or the end of the message, to judge).
     */

    @Override
    public int minPrefixLength() {
        return SHORT_BLOCK ? SHORT_MIN : VL + 3;
    }

    @Override
    public int validPrefix(byte[] a, int from, int to, int history) {
        int n = to - from;
        if (n < VL + 3) {
            if (!SHORT_BLOCK || n < SHORT_MIN) {
                return from; // short input: the scalar automaton is faster than any vector set-up
            }
            int inBlock = Math.min(n, VL);
            if (isAsciiAfter(history, ByteVector.fromArray(SPECIES, a, from, firstLanes(inBlock)))) {
                return from + inBlock;
            }
        }
        return validBlocks(a, from, to, history);
    }

    private int validBlocks(byte[] a, int from, int to, int history) {
        if (to - from < VL + 3) {
            return validShort(a, from, to, history);
        }
        // The three bytes before the first block may lie in an earlier piece of the message: its "previous"
        // vectors are the history's bytes (the last lanes of this vector) followed by the block's own. Every
        // later block starts at least three bytes in and loads them from the region.
        ByteVector before = IntVector.broadcast(INT_SPECIES, history).reinterpretAsBytes();
        int i = from;
        while (i < to) {
            // The last block ends exactly at the end and overlaps bytes already proven: proving them again is
            // harmless, and it spares the automaton a tail of up to VL - 1 bytes.
            i = Math.min(i, to - VL);
            ByteVector block = ByteVector.fromArray(SPECIES, a, i);
            if (!block.compare(VectorOperators.LT, (byte) 0).anyTrue()) {
                // ASCII: fine unless the bytes before it left a sequence open.
                int back = i == from ? history
                        : (a[i - 1] & 0xFF) << 24 | (a[i - 2] & 0xFF) << 16 | (a[i - 3] & 0xFF) << 8;
                if ((back >>> 24) >= 0xC0 || (back >>> 16 & 0xFF) >= 0xE0 || (back >>> 8 & 0xFF) >= 0xF0) {
                    break;
                }
                // Inside an ASCII run nothing can be open: take four blocks per check, no look-backs. The last
                // check ends exactly at the end (when the region holds four blocks), overlapping ASCII already
                // proven, so that a piece of a message ends without single blocks and their look-backs.
                i += VL;
                while (i < to && to - from >= 4 * VL) {
                    int j = Math.min(i, to - 4 * VL);
                    if (ByteVector.fromArray(SPECIES, a, j)
                            .or(ByteVector.fromArray(SPECIES, a, j + VL))
                            .or(ByteVector.fromArray(SPECIES, a, j + 2 * VL))
                            .or(ByteVector.fromArray(SPECIES, a, j + 3 * VL))
                            .compare(VectorOperators.LT, (byte) 0).anyTrue()) {
                        break;
                    }
                    i = j + 4 * VL;
                }
                continue;
            } else {
                ByteVector prev1 = i == from ? THREE_BACK.add((byte) 2).selectFrom(before, block)
                        : ByteVector.fromArray(SPECIES, a, i - 1);
                ByteVector prev2 = i == from ? THREE_BACK.add((byte) 1).selectFrom(before, block)
                        : ByteVector.fromArray(SPECIES, a, i - 2);
                ByteVector prev3 = i == from ? THREE_BACK.selectFrom(before, block)
                        : ByteVector.fromArray(SPECIES, a, i - 3);
                ByteVector special = prev1.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4)
                        .reinterpretAsBytes().and((byte) 0x0F).selectFrom(PREV_HIGH)
                        .and(prev1.and((byte) 0x0F).selectFrom(PREV_LOW))
                        .and(block.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4)
                                .reinterpretAsBytes().and((byte) 0x0F).selectFrom(THIS_HIGH));
                // Bytes two or three after a 3- or 4-byte lead must be continuations: exactly there TWO_CONTS
                // is expected; XOR it away, and any bit left is an error.
                VectorMask<Byte> mustContinue = prev2.compare(VectorOperators.UGT, (byte) 0xDF)
                        .or(prev3.compare(VectorOperators.UGT, (byte) 0xEF));
                if (special.lanewise(VectorOperators.XOR, (byte) TWO_CONTS, mustContinue)
                        .compare(VectorOperators.NE, (byte) 0).anyTrue()) {
                    break;
                }
            }
            i += VL;
        }
        return i == to && mayEndRegion(a[to - 1]) ? to : Math.max(from, i - 1);
    }

    @Override
    public long validPrefix(MemorySegment s, long from, long to, int history) {
        long n = to - from;
        if (n < VL + 3) {
            if (!SHORT_BLOCK || n < SHORT_MIN) {
                return from;
            }
            int inBlock = (int) Math.min(n, VL);
            if (isAsciiAfter(history, ByteVector.fromMemorySegment(SPECIES, s, from, ByteOrder.LITTLE_ENDIAN,
                    firstLanes(inBlock)))) {
                return from + inBlock;
            }
        }
        return validBlocks(s, from, to, history);
    }

    private long validBlocks(MemorySegment s, long from, long to, int history) {
        if (to - from < VL + 3) {
            return validShort(s, from, to, history);
        }
        ByteVector before = IntVector.broadcast(INT_SPECIES, history).reinterpretAsBytes();
        long i = from;
        while (i < to) {
            i = Math.min(i, to - VL);
            ByteVector block = ByteVector.fromMemorySegment(SPECIES, s, i, ByteOrder.LITTLE_ENDIAN);
            if (!block.compare(VectorOperators.LT, (byte) 0).anyTrue()) {
                int back = i == from ? history
                        : (byteAt(s, i - 1) & 0xFF) << 24 | (byteAt(s, i - 2) & 0xFF) << 16
                                | (byteAt(s, i - 3) & 0xFF) << 8;
                if ((back >>> 24) >= 0xC0 || (back >>> 16 & 0xFF) >= 0xE0 || (back >>> 8 & 0xFF) >= 0xF0) {
                    break;
                }
                i += VL;
                while (i < to && to - from >= 4 * VL) {
                    long j = Math.min(i, to - 4 * VL);
                    if (ByteVector.fromMemorySegment(SPECIES, s, j, ByteOrder.LITTLE_ENDIAN)
                            .or(ByteVector.fromMemorySegment(SPECIES, s, j + VL, ByteOrder.LITTLE_ENDIAN))
                            .or(ByteVector.fromMemorySegment(SPECIES, s, j + 2 * VL, ByteOrder.LITTLE_ENDIAN))
                            .or(ByteVector.fromMemorySegment(SPECIES, s, j + 3 * VL, ByteOrder.LITTLE_ENDIAN))
                            .compare(VectorOperators.LT, (byte) 0).anyTrue()) {
                        break;
                    }
                    i = j + 4 * VL;
                }
                continue;
            } else {
                ByteVector prev1 = i == from ? THREE_BACK.add((byte) 2).selectFrom(before, block)
                        : ByteVector.fromMemorySegment(SPECIES, s, i - 1, ByteOrder.LITTLE_ENDIAN);
                ByteVector prev2 = i == from ? THREE_BACK.add((byte) 1).selectFrom(before, block)
                        : ByteVector.fromMemorySegment(SPECIES, s, i - 2, ByteOrder.LITTLE_ENDIAN);
                ByteVector prev3 = i == from ? THREE_BACK.selectFrom(before, block)
                        : ByteVector.fromMemorySegment(SPECIES, s, i - 3, ByteOrder.LITTLE_ENDIAN);
                ByteVector special = prev1.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4)
                        .reinterpretAsBytes().and((byte) 0x0F).selectFrom(PREV_HIGH)
                        .and(prev1.and((byte) 0x0F).selectFrom(PREV_LOW))
                        .and(block.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4)
                                .reinterpretAsBytes().and((byte) 0x0F).selectFrom(THIS_HIGH));
                VectorMask<Byte> mustContinue = prev2.compare(VectorOperators.UGT, (byte) 0xDF)
                        .or(prev3.compare(VectorOperators.UGT, (byte) 0xEF));
                if (special.lanewise(VectorOperators.XOR, (byte) TWO_CONTS, mustContinue)
                        .compare(VectorOperators.NE, (byte) 0).anyTrue()) {
                    break;
                }
            }
            i += VL;
        }
        return i == to && mayEndRegion(byteAt(s, to - 1)) ? to : Math.max(from, i - 1);
    }

    /*
     * Regions shorter than VL + 3 bytes, with 512-bit vectors (SHORT_BLOCK): one block, its lanes past the region
     * masked off (loaded as zeros, their verdicts ignored), its look-backs from the history. AVX2 has no masked
     * byte load: where the vector crosses the end of the array or segment, the Vector API would load the bytes one
     * by one in Java, and the automaton is faster. Regions of VL + 1 and VL + 2 bytes leave the bytes past the block
     * to the automaton.
     *
     * validPrefix tests an ASCII block itself and leaves any other to validShort, through validBlocks: inlined into
     * its callers, the whole check made them too large for C2 to inline the rest (NodeCountInliningCutoff), and a
     * 64 B message of Greek took 17 ns instead of 8; out of line, ASCII paid for the call, 6-8 ns instead of 3-4.
     */

    /** The lanes of a region's first {@code n} bytes ({@code 1 <= n <= VL}; only used where VL is 64). */
    private static VectorMask<Byte> firstLanes(int n) {
        assert n >= 1 && n <= VL : n;
        return VectorMask.fromLong(SPECIES, -1L >>> (64 - n));
    }

    /** Whether a block is ASCII and the history leaves no sequence open before it (see above). */
    private static boolean isAsciiAfter(int history, ByteVector block) {
        return !block.compare(VectorOperators.LT, (byte) 0).anyTrue()
                && (history >>> 24) < 0xC0 && (history >>> 16 & 0xFF) < 0xE0 && (history >>> 8 & 0xFF) < 0xF0;
    }

    private int validShort(byte[] a, int from, int to, int history) {
        int n = Math.min(to - from, VL);
        VectorMask<Byte> inRegion = firstLanes(n);
        if (!isValidBlock(ByteVector.fromArray(SPECIES, a, from, inRegion), inRegion, history)) {
            return from;
        }
        int end = from + n;
        return mayEndRegion(a[end - 1]) ? end : end - 1;
    }

    private long validShort(MemorySegment s, long from, long to, int history) {
        int n = (int) Math.min(to - from, VL);
        VectorMask<Byte> inRegion = firstLanes(n);
        if (!isValidBlock(ByteVector.fromMemorySegment(SPECIES, s, from, ByteOrder.LITTLE_ENDIAN, inRegion),
                inRegion, history)) {
            return from;
        }
        long end = from + n;
        return mayEndRegion(byteAt(s, end - 1)) ? end : end - 1;
    }

    /**
     * Whether a region's first block continues the message validly in the lanes of the region: the check of
     * {@link #validBlocks}'s loop, with the look-backs from the history. Like isAsciiAfter it takes vectors, so it
     * relies on C2 inlining it (small methods at hot call sites; PrintInlining shows both inlined): a call would box
     * them, which the benchmarks' 0 B/op (-prof gc) would show. The loops keep their own copy of the check, because
     * C2 does not always inline such a helper into them (see the note before minPrefixLength).
     */
    private static boolean isValidBlock(ByteVector block, VectorMask<Byte> inRegion, int history) {
        ByteVector before = IntVector.broadcast(INT_SPECIES, history).reinterpretAsBytes();
        ByteVector prev1 = THREE_BACK.add((byte) 2).selectFrom(before, block);
        ByteVector prev2 = THREE_BACK.add((byte) 1).selectFrom(before, block);
        ByteVector prev3 = THREE_BACK.selectFrom(before, block);
        ByteVector special = prev1.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4)
                .reinterpretAsBytes().and((byte) 0x0F).selectFrom(PREV_HIGH)
                .and(prev1.and((byte) 0x0F).selectFrom(PREV_LOW))
                .and(block.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4)
                        .reinterpretAsBytes().and((byte) 0x0F).selectFrom(THIS_HIGH));
        VectorMask<Byte> mustContinue = prev2.compare(VectorOperators.UGT, (byte) 0xDF)
                .or(prev3.compare(VectorOperators.UGT, (byte) 0xEF));
        return !special.lanewise(VectorOperators.XOR, (byte) TWO_CONTS, mustContinue)
                .compare(VectorOperators.NE, (byte) 0).and(inRegion).anyTrue();
    }

    /**
     * Whether a region's last byte is proven with its block: it is not C0, C1 or F5..FF, which no UTF-8 contains
     * (RFC 3629 §1) and which a block finds only through the byte after them.
     */
    private static boolean mayEndRegion(byte last) {
        int b = last & 0xFF;
        return b < 0xF5 && (b & 0xFE) != 0xC0;
    }

    /**
     * Four blocks per check in a counted loop, the last check ending exactly at the end (overlapping ASCII already
     * proven), so that a region of ASCII of at least four blocks is proven whole; shorter regions are left to
     * {@link #validPrefix}. Kept small so that the JIT inlines it into {@code Utf8Validator.feed}: a call per piece
     * costs more than the check of a 1 KiB piece (benchmarks/RESULTS.md). {@code validPrefix} keeps its own
     * four-block loop for ASCII runs inside mixed text: calling this one from there was slower for short messages.
     */
    @Override
    public int asciiPrefix(byte[] a, int from, int to) {
        int i = from;
        if (to - from >= 4 * VL) {
            for (int last = to - 4 * VL; i <= last; i += 4 * VL) {
                if (!fourBlocksAscii(a, i)) {
                    return i;
                }
            }
            if (i < to) {
                // Proven through i; when the last group is not ASCII, stop early enough that validPrefix still
                // gets a whole block and its three bytes before, rather than leaving the rest to the automaton.
                return fourBlocksAscii(a, to - 4 * VL) ? to : Math.max(from, Math.min(i, to - (VL + 3)));
            }
        }
        return i;
    }

    @Override
    public long asciiPrefix(MemorySegment s, long from, long to) {
        long i = from;
        if (to - from >= 4 * VL) {
            for (long last = to - 4 * VL; i <= last; i += 4 * VL) {
                if (!fourBlocksAscii(s, i)) {
                    return i;
                }
            }
            if (i < to) {
                return fourBlocksAscii(s, to - 4 * VL) ? to : Math.max(from, Math.min(i, to - (VL + 3)));
            }
        }
        return i;
    }

    // Vectors stay inside these two: whether or not C2 inlines them, nothing is boxed.
    private static boolean fourBlocksAscii(byte[] a, int i) {
        return !ByteVector.fromArray(SPECIES, a, i)
                .or(ByteVector.fromArray(SPECIES, a, i + VL))
                .or(ByteVector.fromArray(SPECIES, a, i + 2 * VL))
                .or(ByteVector.fromArray(SPECIES, a, i + 3 * VL))
                .compare(VectorOperators.LT, (byte) 0).anyTrue();
    }

    private static boolean fourBlocksAscii(MemorySegment s, long i) {
        return !ByteVector.fromMemorySegment(SPECIES, s, i, ByteOrder.LITTLE_ENDIAN)
                .or(ByteVector.fromMemorySegment(SPECIES, s, i + VL, ByteOrder.LITTLE_ENDIAN))
                .or(ByteVector.fromMemorySegment(SPECIES, s, i + 2 * VL, ByteOrder.LITTLE_ENDIAN))
                .or(ByteVector.fromMemorySegment(SPECIES, s, i + 3 * VL, ByteOrder.LITTLE_ENDIAN))
                .compare(VectorOperators.LT, (byte) 0).anyTrue();
    }

    private static byte byteAt(MemorySegment s, long offset) {
        return s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset);
    }
}
