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
     * How far the active kernel proves {@code a[from, to)} a valid continuation of a message ending with
     * {@code history}, like {@link Kernel#validPrefix(byte[], int, int, int)}; regions shorter than
     * {@link #MIN_PREFIX_LENGTH} are left to the automaton with no call and no vector set-up.
     */
    public static int validPrefix(byte[] a, int from, int to, int history) {
        return to - from < MIN_PREFIX_LENGTH ? from : ACTIVE.validPrefix(a, from, to, history);
    }

    /** {@link #validPrefix(byte[], int, int, int)} over a memory segment. */
    public static long validPrefix(MemorySegment s, long from, long to, int history) {
        return to - from < MIN_PREFIX_LENGTH ? from : ACTIVE.validPrefix(s, from, to, history);
    }

    /** How far the active kernel proves {@code a[from, to)} ASCII ({@link Kernel#asciiPrefix(byte[], int, int)}). */
    public static int asciiPrefix(byte[] a, int from, int to) {
        return ACTIVE.asciiPrefix(a, from, to);
    }

    /** {@link #asciiPrefix(byte[], int, int)} over a memory segment. */
    public static long asciiPrefix(MemorySegment s, long from, long to) {
        return ACTIVE.asciiPrefix(s, from, to);
    }

    /**
     * Validates {@code a[from, to)} as the continuation of a message ending with {@code history} ({@code 0}: a
     * whole message): the active kernel proves what it can, the automaton does the rest. Returns like
     * {@link Utf8Dfa#scan(byte[], int, int, int)}.
     */
    public static long scan(byte[] a, int from, int to, int history) {
        return Utf8Dfa.resume(a, from, validPrefix(a, from, to, history), to, history);
    }

    /** {@link #scan(byte[], int, int, int)} over a memory segment. */
    public static long scan(MemorySegment s, long from, long to, int history) {
        return Utf8Dfa.resume(s, from, validPrefix(s, from, to, history), to, history);
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
