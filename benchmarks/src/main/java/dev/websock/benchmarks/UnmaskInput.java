package dev.websock.benchmarks;

import dev.websock.utf8.Unmasker;
import dev.websock.utf8.Utf8;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
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
 * The state every unmasking benchmark shares: a payload of {@code size} random bytes on the heap (a
 * {@code byte[]}) or off it (a direct {@code ByteBuffer}, and a {@link MemorySegment} view made once), unmasked
 * in place again and again (XOR twice is the identity, so the bytes stay random), and a second buffer of the
 * same size: the target of the copy that gives the memory-bandwidth reference, and of unmasking while copying.
 * Times are nanoseconds per payload.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Defaults for a bare run (the command line overrides them; each subclass sets @Fork(1)). The vector kernel
// runs interpreted, ~1000x slower, until C2 compiles it, which takes a second or more on a busy machine: warm up
// for two.
@Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public abstract class UnmaskInput {

    /** 16: a small control frame; 125: the largest control frame; then a short, a typical and a big message. */
    @Param({"16", "125", "1024", "65536", "1048576"})
    public int size;

    @Param({"heap", "direct"})
    public String memory;

    static final int MASK = 0x37FA213D;
    static final int PHASE = 0;

    protected boolean direct;
    protected byte[] array;
    protected byte[] arrayCopy;
    /** The heap payload wrapped, or the direct buffer. */
    protected ByteBuffer buffer;
    /** A view of the direct buffer, made once. */
    protected MemorySegment segment;
    /** The second buffer off the heap (a direct buffer's view), the copies' target. */
    protected MemorySegment segmentCopy;

    @Setup(Level.Trial)
    public void allocate() {
        direct = switch (memory) {
            case "heap" -> false;
            case "direct" -> true;
            default -> throw new IllegalArgumentException("memory is heap or direct, not " + memory);
        };
        byte[] payload = new byte[size];
        new Random(0x6455L + size).nextBytes(payload);
        if (direct) {
            buffer = direct(size);
            buffer.put(0, payload);
            segment = MemorySegment.ofBuffer(buffer);
            segmentCopy = MemorySegment.ofBuffer(direct(size));
        } else {
            array = payload.clone();
            arrayCopy = new byte[size];
            buffer = ByteBuffer.wrap(array);
        }
        ForkKernel.check(getClass(), Utf8.kernelName());
        verify(payload);
    }

    /**
     * A direct buffer of {@code size} bytes where {@code allocateDirect} puts it, or, with {@code
     * -Dbench.directOffset=N} (pass it with {@code -jvmArgsPrepend}), {@code N} bytes past a 64-byte boundary.
     * Where a buffer lies matters: a vector store that crosses a cache line costs two, and without the property
     * each fork gets whatever alignment the allocator gives it.
     */
    private static ByteBuffer direct(int size) {
        int offset = Integer.getInteger("bench.directOffset", -1);
        return offset < 0 ? ByteBuffer.allocateDirect(size)
                : ByteBuffer.allocateDirect(size + 128).alignedSlice(64).slice(offset, size);
    }

    /** Runs a benchmark method once on the payload and throws unless it unmasked it right. */
    protected abstract void verify(byte[] payload);

    /** Throws unless the payload now holds {@code original} masked once (and puts the original back). */
    protected final void requireMasked(byte[] original, int phase, String method) {
        byte[] expected = original.clone();
        for (int i = 0; i < expected.length; i++) {
            expected[i] ^= (byte) (MASK >>> 24 - 8 * (i & 3));
        }
        byte[] actual = payload();
        if (!Arrays.equals(expected, actual) || phase != (size & 3)) {
            throw new IllegalStateException(ForkKernel.name(getClass()) + "." + method + " unmasked " + size
                    + " bytes (" + memory + ") wrong, kernel " + Utf8.kernelName());
        }
        Unmasker.unmask(actual, 0, size, MASK, PHASE);
        if (direct) {
            buffer.put(0, actual);
        } else {
            System.arraycopy(actual, 0, array, 0, size);
        }
    }

    /**
     * Throws unless the second buffer now holds {@code original} masked once, as a copying unmask leaves it (the
     * payload itself is not changed by one).
     */
    protected final void requireMaskedCopy(byte[] original, int phase, String method) {
        byte[] expected = original.clone();
        for (int i = 0; i < expected.length; i++) {
            expected[i] ^= (byte) (MASK >>> 24 - 8 * (i & 3));
        }
        byte[] copied = direct ? segmentCopy.toArray(ValueLayout.JAVA_BYTE) : arrayCopy.clone();
        if (!Arrays.equals(expected, copied) || !Arrays.equals(original, payload()) || phase != (size & 3)) {
            throw new IllegalStateException(ForkKernel.name(getClass()) + "." + method + " unmasked " + size
                    + " bytes (" + memory + ") into the second buffer wrong, kernel " + Utf8.kernelName());
        }
    }

    private byte[] payload() {
        return direct ? segment.toArray(ValueLayout.JAVA_BYTE) : array.clone();
    }
}
