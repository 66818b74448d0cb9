package dev.websock.codec.zlib;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * What a cleaner frees of a {@link ZlibCompressor} or {@link ZlibDecompressor}: the zlib state behind its
 * {@code z_stream}, by {@code deflateEnd} or {@code inflateEnd}, once. Never the owner itself, which the cleaner
 * must not reach.
 */
final class NativeStream implements Runnable {
    private final MemorySegment stream;
    private final MethodHandle end;
    volatile boolean ended;

    /** @param end {@code deflateEnd} or {@code inflateEnd}: {@code int (z_streamp)} */
    NativeStream(MemorySegment stream, MethodHandle end) {
        this.stream = stream;
        this.end = end;
    }

    @Override
    public void run() {
        if (!ended) {
            ended = true;
            try {
                // deflateEnd returns Z_DATA_ERROR when a stream is freed mid-way; it is freed all the same.
                int ignored = (int) end.invokeExact(stream);
            } catch (Throwable e) {
                throw rethrown(e);
            }
        }
    }

    /** A downcall's throwable as an unchecked exception (errors are rethrown as they are). */
    static RuntimeException rethrown(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("zlib call failed", e);
    }
}
