package dev.websock.utf8.kernel;

/** What tests outside this package need to know about the vector kernel's package-private set-up. */
public final class KernelProbe {

    private KernelProbe() {}

    /** The vector kernel's lane count: the size in bytes of one UTF-8 block. */
    public static int vectorLength() {
        return VectorKernel.SPECIES.length();
    }

    /**
     * Whether the vector kernel proves a region of {@code length} bytes whole when it continues the message validly:
     * from {@code VL + 3} bytes on, and, with 512-bit vectors, from its short block's minimum to {@code VL} bytes
     * (regions of {@code VL + 1} and {@code VL + 2} bytes leave their last bytes to the automaton).
     */
    public static boolean provesWhole(long length) {
        int vl = vectorLength();
        return length >= vl + 3 || VectorKernel.SHORT_BLOCK && length >= VectorKernel.SHORT_MIN && length <= vl;
    }

    /** The packed {@link Utf8Dfa} result as an error index: -1 when it stands at a boundary, else its index. */
    public static long verdict(long scanned) {
        return Utf8Dfa.stateOf(scanned) == Utf8Dfa.ACCEPT ? -1 : Utf8Dfa.indexOf(scanned);
    }

    /** {@code Utf8.firstInvalid} as the vector kernel computes it, whatever kernel is active. */
    public static int vectorFirstInvalid(byte[] a, int from, int to) {
        return (int) verdict(Utf8Dfa.resume(a, from, VectorKernel.INSTANCE.validPrefix(a, from, to, 0), to, 0));
    }

    /** {@code Utf8.firstInvalid} as the scalar kernel computes it. */
    public static int scalarFirstInvalid(byte[] a, int from, int to) {
        return (int) verdict(Utf8Dfa.resume(a, from, ScalarKernel.INSTANCE.validPrefix(a, from, to, 0), to, 0));
    }
}
