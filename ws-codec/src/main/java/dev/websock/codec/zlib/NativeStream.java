package dev.websock.codec.zlib;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;

/**
 * What a cleaner frees of a {@link ZlibCompressor} or {@link ZlibDecompressor}: the zlib state behind its
 * {@code z_stream}, by {@code deflateEnd} or {@code inflateEnd}, once. Never the owner itself, which the cleaner
 * must not reach.
 */
final class NativeStream implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();

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

    /** Frees the state when {@code owner} becomes unreachable, or when the returned cleanable is cleaned. */
    Cleaner.Cleanable cleanWhenUnreachable(Object owner) {
        return CLEANER.register(owner, this);
    }

    /** A zlib return code, and the stream's own message when it set one, for an exception. */
    static String describe(MemorySegment stream, int rc) {
        String name = switch (rc) {
            case Zlib.Z_STREAM_ERROR -> "Z_STREAM_ERROR (a parameter is out of range)";
            case Zlib.Z_VERSION_ERROR -> "Z_VERSION_ERROR (library version or z_stream size mismatch)";
            case Zlib.Z_MEM_ERROR -> "Z_MEM_ERROR (out of memory)";
            default -> "error " + rc;
        };
        String message = message(stream, null);
        return message == null ? name : name + ", " + message;
    }

    /** The message zlib left in the stream's {@code msg}, or {@code fallback}. */
    static String message(MemorySegment stream, String fallback) {
        MemorySegment msg = stream.get(ADDRESS, Zlib.MSG);
        return msg.equals(MemorySegment.NULL) ? fallback : msg.reinterpret(256).getString(0);
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
