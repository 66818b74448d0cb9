package dev.websock.benchmarks;

import dev.websock.utf8.kernel.ScalarKernel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What websock's unmasking is compared with, on the same payload: a plain byte loop (the textbook
 * {@code a[i] ^= key[i & 3]}), the long-at-a-time loop of websock's {@link ScalarKernel}, and the memory
 * bandwidth of a copy of the same length into a second buffer ({@code System.arraycopy} on the heap,
 * {@code MemorySegment.copy} off it).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {ForkKernel.VECTOR_MODULE, ForkKernel.ALLOW_UNSAFE})
public class UnmaskReference extends UnmaskInput {

    private final byte[] key = {
        (byte) (MASK >>> 24), (byte) (MASK >>> 16), (byte) (MASK >>> 8), (byte) MASK,
    };

    @Override
    protected void verify(byte[] payload) {
        requireMasked(payload, byteLoop(), "byteLoop");
        requireMasked(payload, longLoop(), "longLoop");
        requireMasked(payload, bufferLongLoop(), "bufferLongLoop");
        copy();
        byte[] copied = direct ? segmentCopy.toArray(ValueLayout.JAVA_BYTE) : arrayCopy;
        if (!java.util.Arrays.equals(payload, copied)) {
            throw new IllegalStateException("copy copied " + size + " bytes (" + memory + ") wrong");
        }
    }

    /** One byte at a time, the key byte looked up by index. */
    @Benchmark
    public int byteLoop() {
        byte[] k = key;
        int n = size;
        int phase = PHASE;
        if (direct) {
            MemorySegment s = segment;
            for (int i = 0; i < n; i++) {
                s.set(ValueLayout.JAVA_BYTE, i, (byte) (s.get(ValueLayout.JAVA_BYTE, i) ^ k[(phase + i) & 3]));
            }
        } else {
            byte[] a = array;
            for (int i = 0; i < n; i++) {
                a[i] ^= k[(phase + i) & 3];
            }
        }
        return (phase + n) & 3;
    }

    /** websock's scalar kernel: eight bytes at a time. */
    @Benchmark
    public int longLoop() {
        return direct
                ? ScalarKernel.INSTANCE.unmask(segment, 0, segment, 0, size, MASK, PHASE)
                : ScalarKernel.INSTANCE.unmask(array, 0, array, 0, size, MASK, PHASE);
    }

    /**
     * Eight bytes at a time through {@code ByteBuffer.getLong}/{@code putLong} (the wrapped array, or the direct
     * buffer), the way the Java peers unmask (Netty's frame decoder does {@code getLong}/{@code setLong} on its
     * buffer): a long-at-a-time loop that C2 does not turn into vector code, unlike {@link #longLoop} on arrays
     * and segments (JDK 25 vectorizes those; see benchmarks/RESULTS.md).
     */
    @Benchmark
    public int bufferLongLoop() {
        ByteBuffer b = buffer;
        int n = size;
        long key8 = (MASK & 0xFFFF_FFFFL) << 32 | (MASK & 0xFFFF_FFFFL); // big-endian buffer: wire order
        int i = 0;
        for (; i <= n - Long.BYTES; i += Long.BYTES) {
            b.putLong(i, b.getLong(i) ^ key8);
        }
        for (; i < n; i++) {
            b.put(i, (byte) (b.get(i) ^ (MASK >>> (24 - 8 * (i & 3)))));
        }
        return (PHASE + n) & 3;
    }

    /** The bandwidth reference: copy the payload into the second buffer. */
    @Benchmark
    public void copy() {
        if (direct) {
            MemorySegment.copy(segment, 0, segmentCopy, 0, size);
        } else {
            System.arraycopy(array, 0, arrayCopy, 0, size);
        }
    }
}
