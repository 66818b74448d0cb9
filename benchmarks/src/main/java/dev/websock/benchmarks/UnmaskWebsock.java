package dev.websock.benchmarks;

import dev.websock.utf8.Unmasker;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * websock's {@link Unmasker} with the kernel its subclass's fork forces. In place: on the {@code byte[]} (heap) or
 * on the {@code MemorySegment} made once from the direct buffer ({@link #websock}), and through the
 * {@code ByteBuffer} form ({@link #websockByteBuffer}), which on a direct buffer wraps it in a segment per call
 * (an allocation the GC profiler shows). Copying into the second buffer: {@link #websockCopy}.
 */
public abstract class UnmaskWebsock extends UnmaskInput {

    @Override
    protected void verify(byte[] payload) {
        requireMasked(payload, websock(), "websock");
        requireMasked(payload, websockByteBuffer(), "websockByteBuffer");
        requireMaskedCopy(payload, websockCopy(), "websockCopy");
    }

    /** {@code Unmasker.unmask(byte[])} on the heap, {@code Unmasker.unmask(MemorySegment)} off it. */
    @Benchmark
    public int websock() {
        return direct
                ? Unmasker.unmask(segment, 0, size, MASK, PHASE)
                : Unmasker.unmask(array, 0, size, MASK, PHASE);
    }

    /** {@code Unmasker.unmask(ByteBuffer)}: the wrapped array on the heap, the direct buffer off it. */
    @Benchmark
    public int websockByteBuffer() {
        return Unmasker.unmask(buffer, 0, size, MASK, PHASE);
    }

    /**
     * {@code Unmasker.unmaskCopy} from the payload into the second buffer ({@code byte[]} to {@code byte[]}, or
     * segment to segment), as a client masks a frame it sends; compare with the reference's plain copy.
     */
    @Benchmark
    public int websockCopy() {
        return direct
                ? Unmasker.unmaskCopy(segment, 0, segmentCopy, 0, size, MASK, PHASE)
                : Unmasker.unmaskCopy(array, 0, arrayCopy, 0, size, MASK, PHASE);
    }
}
