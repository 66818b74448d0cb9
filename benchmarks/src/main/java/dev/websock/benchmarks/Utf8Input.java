package dev.websock.benchmarks;

import dev.websock.utf8.Utf8;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The state every UTF-8 benchmark shares: one generated input ({@link Utf8Inputs}) of {@code size} bytes.
 * Times are nanoseconds per validation of the whole input; the report turns them into GB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Defaults for a bare run (the command line overrides them; each subclass sets @Fork(1)). The vector kernel
// runs interpreted, ~1000x slower, until C2 compiles it, which takes a second or more on a busy machine: warm up
// for two.
@Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public abstract class Utf8Input {

    @Param({"ascii", "latin", "greek", "cjk", "emoji", "random"})
    public String input;

    @Param({"64", "1024", "65536", "1048576"})
    public int size;

    protected byte[] bytes;

    @Setup(Level.Trial)
    public void generate() {
        bytes = Utf8Inputs.generate(input, size);
        Utf8Inputs.requireValid(input, bytes);
        ForkKernel.check(getClass(), Utf8.kernelName());
        prepare();
        verify();
    }

    /** Sets up what the benchmark methods reuse (called after the input exists). */
    protected void prepare() {}

    /** Runs each benchmark method once and throws if it reports the (valid) input invalid. */
    protected abstract void verify();

    protected final void require(boolean valid, String method) {
        if (!valid) {
            throw new IllegalStateException(ForkKernel.name(getClass()) + "." + method + " reports the valid input "
                    + input + " (" + size + " bytes) invalid, kernel " + Utf8.kernelName());
        }
    }
}
