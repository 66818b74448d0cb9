package dev.websock.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks the kernel a benchmark fork was started for. The forced-kernel classes ({@link Utf8Vector512},
 * {@link Utf8Vector256}, {@link Utf8Scalar}, {@link UnmaskVector512}, {@link UnmaskVector256},
 * {@link UnmaskVector256Avx2}) set the ws-utf8 system properties in their {@code @Fork(jvmArgsAppend)}: the kernel
 * and the vector species are fixed when ws-utf8 initialises, so each needs its own JVM. In a non-forked run ({@code -f 0}, the smoke run) the
 * properties are absent and every class runs the JVM's kernel: fine for a smoke run, not a measurement.
 * Do not pass {@code -jvmArgsAppend} to JMH: it replaces the classes' own.
 */
final class ForkKernel {

    /** Every fork needs the Vector API module (the vector kernel is chosen only if it is there). */
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";
    /** JMH 1.37 calls {@code sun.misc.Unsafe::objectFieldOffset}; JDK 24+ warns about it in every fork otherwise. */
    static final String ALLOW_UNSAFE = "--sun-misc-unsafe-memory-access=allow";

    static final String KERNEL_PROPERTY = "dev.websock.utf8.kernel";
    static final String BITS_PROPERTY = "dev.websock.utf8.vectorBits";
    /** Set by the {@link Guard}: the file to which each fork appends the kernel it runs. */
    static final String REPORT_PROPERTY = "dev.websock.benchmarks.kernelReport";

    private ForkKernel() {}

    /**
     * Tells the guard (if it asked) which kernel the benchmark class {@code who} runs in this fork; throws if
     * the fork was started for another kernel than {@code actual}.
     */
    static void check(Class<?> who, String actual) {
        String report = System.getProperty(REPORT_PROPERTY);
        if (report != null) {
            try {
                Files.writeString(Path.of(report), name(who) + " " + actual + System.lineSeparator(),
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String kernel = System.getProperty(KERNEL_PROPERTY);
        String bits = System.getProperty(BITS_PROPERTY);
        String expected = "scalar".equals(kernel) ? "scalar"
                : "vector".equals(kernel) && bits != null ? "vector-" + bits.trim()
                : null;
        if (expected != null && !expected.equals(actual)) {
            throw new IllegalStateException("this fork was started for the " + expected + " kernel (-D"
                    + KERNEL_PROPERTY + "=" + kernel + " -D" + BITS_PROPERTY + "=" + bits + ") but ws-utf8 runs "
                    + actual);
        }
    }

    /** The simple name of the benchmark class {@code c}, or of the one JMH generated a subclass of. */
    static String name(Class<?> c) {
        String name = c.getSimpleName();
        int generated = name.indexOf("_jmh");
        return generated > 0 ? name.substring(0, generated) : name;
    }
}
