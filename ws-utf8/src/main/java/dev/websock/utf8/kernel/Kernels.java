package dev.websock.utf8.kernel;

import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;

/**
 * Chooses the kernel once, when this class initialises. {@value #KERNEL_PROPERTY} forces one:
 * {@code scalar}, {@code vector}, or {@code auto} (the default: vector when the JVM has
 * {@code jdk.incubator.vector} and 128-bit or wider vectors, scalar otherwise).
 */
public final class Kernels {

    /** System property that forces the kernel: {@code auto}, {@code vector} or {@code scalar}. */
    public static final String KERNEL_PROPERTY = "dev.websock.utf8.kernel";

    /** The kernel every public entry point uses. */
    public static final Kernel ACTIVE = select(System.getProperty(KERNEL_PROPERTY, "auto"));

    /** {@code ACTIVE.minPrefixLength()} as a constant the JIT folds: short inputs skip the kernel call. */
    public static final int MIN_PREFIX_LENGTH = ACTIVE.minPrefixLength();

    private Kernels() {}

    /**
     * Validates {@code a[from, to)}, which starts at a code point boundary: the active kernel proves what it can
     * (inputs shorter than {@link #MIN_PREFIX_LENGTH} skip it), the automaton does the rest. Returns like
     * {@link Utf8Dfa#scan(byte[], int, int, int)}.
     */
    public static long scanFromBoundary(byte[] a, int from, int to) {
        int proven = to - from < MIN_PREFIX_LENGTH ? from : ACTIVE.validPrefix(a, from, to);
        return Utf8Dfa.scan(a, proven, to, Utf8Dfa.ACCEPT);
    }

    /** {@link #scanFromBoundary(byte[], int, int)} over a memory segment. */
    public static long scanFromBoundary(MemorySegment s, long from, long to) {
        long proven = to - from < MIN_PREFIX_LENGTH ? from : ACTIVE.validPrefix(s, from, to);
        return Utf8Dfa.scan(s, proven, to, Utf8Dfa.ACCEPT);
    }

    static Kernel select(String choice) {
        return switch (choice.trim()) {
            case "scalar" -> ScalarKernel.INSTANCE;
            case "vector" -> vectorKernel(true);
            case "auto", "" -> vectorKernel(false);
            default -> throw new IllegalArgumentException(
                    KERNEL_PROPERTY + "=" + choice + " is not a kernel; use auto, vector or scalar");
        };
    }

    private static Kernel vectorKernel(boolean required) {
        try {
            return VectorKernel.INSTANCE;
        } catch (LinkageError | UnsupportedOperationException e) {
            // NoClassDefFoundError: the JVM was started without --add-modules jdk.incubator.vector (or an
            // OSGi framework did not wire the package). The scalar kernel gives the same answers, slower.
            if (required) {
                throw new IllegalStateException(KERNEL_PROPERTY + "=vector, but the Vector API is unusable here ("
                        + e + "); start the JVM with --add-modules jdk.incubator.vector", e);
            }
            System.getLogger(Kernels.class.getName()).log(Level.DEBUG,
                    "Vector API unavailable ({0}); using the scalar UTF-8 and unmasking kernels", e.toString());
            return ScalarKernel.INSTANCE;
        }
    }
}
