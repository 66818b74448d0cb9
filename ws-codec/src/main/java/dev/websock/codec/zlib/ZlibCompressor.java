package dev.websock.codec.zlib;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

/**
 * A {@link Compressor} on the system zlib through FFM ({@link Zlib}): {@code deflateInit2} with negative window
 * bits for raw DEFLATE, so the LZ77 window is the one negotiated (RFC 7692 §7.1.2), and a memLevel of choice.
 *
 * <p>Memory: zlib's deflate state, about {@code (1 << (windowBits + 2)) + (1 << (memLevel + 9))} bytes plus
 * 6 KiB, is freed by {@link #close()} (and by a cleaner, should a compressor become unreachable unclosed). The
 * {@code z_stream}, the input staging buffer and the output buffer live in an automatic arena: they go when
 * the compressor is unreachable, and from any thread (the codec may move between threads, one at a time).
 *
 * <p>zlib reads input through a pointer kept in the {@code z_stream}, so it cannot read a Java array: input is
 * copied into a native staging buffer, a piece at a time. Output goes straight into {@link #output()}, a
 * buffer over native memory.
 */
public final class ZlibCompressor implements Compressor {


    // Static final, so the JIT treats the downcall handles as constants; bound only when this class is first
    // used, which happens only once zlib is known to be available.
    private static final Zlib.Functions ZLIB = Zlib.isAvailable() ? Zlib.functions() : null;

    private final MemorySegment stream;
    private final MemorySegment stage;
    private final ByteBuffer stageView;
    private final MemorySegment outputSegment;
    private final ByteBuffer output;
    private final NativeStream state;
    private final Cleaner.Cleanable cleanable;
    private ByteBuffer input;

    /**
     * @param level 0-9
     * @param windowBits 9-15 (zlib refuses a raw window of 8 bits)
     * @param memLevel 1-9: the hash table and pending buffer, {@code 1 << (memLevel + 9)} bytes together
     * @param strategy {@link Zlib#Z_DEFAULT_STRATEGY} or another zlib strategy
     * @param outputSize the output buffer's capacity
     * @param stageSize the input staging buffer's capacity
     * @throws IllegalStateException when zlib is not available or refuses the parameters, with zlib's reason
     */
    public ZlibCompressor(int level, int windowBits, int memLevel, int strategy, int outputSize, int stageSize) {
        if (ZLIB == null) {
            throw new IllegalStateException("the system zlib is not available: " + Zlib.unavailableReason());
        }
        Arena arena = Arena.ofAuto();
        this.stream = arena.allocate(Zlib.Z_STREAM); // zeroed: zalloc, zfree and opaque are Z_NULL, so zlib uses malloc
        int rc = deflateInit2(stream, level, -windowBits, memLevel, strategy);
        if (rc != Zlib.Z_OK) {
            throw new IllegalStateException("zlib " + ZLIB.version() + " deflateInit2 refused level " + level
                    + ", window bits " + windowBits + ", memLevel " + memLevel + ", strategy " + strategy
                    + ": " + NativeStream.describe(stream, rc));
        }
        this.state = new NativeStream(stream, ZLIB.deflateEnd());
        this.cleanable = state.cleanWhenUnreachable(this);
        this.stage = arena.allocate(stageSize);
        this.stageView = stage.asByteBuffer();
        this.outputSegment = arena.allocate(outputSize);
        this.output = outputSegment.asByteBuffer();
    }

    @Override
    public ByteBuffer output() {
        return output;
    }

    @Override
    public void setInput(ByteBuffer input) {
        this.input = input;
    }

    @Override
    public boolean needsInput() {
        if (stream.get(JAVA_INT, Zlib.AVAIL_IN) != 0) {
            return false;
        }
        if (input != null && input.hasRemaining()) {
            return false;
        }
        input = null; // let go of the caller's buffer
        return true;
    }

    @Override
    public int deflate(int flush) {
        ensureOpen();
        if (stream.get(JAVA_INT, Zlib.AVAIL_IN) == 0 && input != null && input.hasRemaining()) {
            int n = Math.min(input.remaining(), (int) stage.byteSize());
            stageView.put(0, input, input.position(), n);
            input.position(input.position() + n);
            stream.set(ADDRESS, Zlib.NEXT_IN, stage);
            stream.set(JAVA_INT, Zlib.AVAIL_IN, n);
        }
        // Flush only once every byte is in zlib: a sync flush per staged piece would add an empty block each time.
        int effectiveFlush = input != null && input.hasRemaining() ? Zlib.Z_NO_FLUSH : flush;
        int room = output.remaining();
        stream.set(ADDRESS, Zlib.NEXT_OUT, outputSegment.asSlice(output.position()));
        stream.set(JAVA_INT, Zlib.AVAIL_OUT, room);
        int rc = deflate(stream, effectiveFlush);
        // Z_BUF_ERROR only says no progress was possible (nothing new to flush); it is not fatal.
        if (rc != Zlib.Z_OK && rc != Zlib.Z_BUF_ERROR) {
            throw new IllegalStateException("zlib deflate failed: " + NativeStream.describe(stream, rc));
        }
        int written = room - stream.get(JAVA_INT, Zlib.AVAIL_OUT);
        output.position(output.position() + written);
        return written;
    }

    @Override
    public void setDictionary(ByteBuffer dictionary) {
        ensureOpen();
        // Made once per compressor made anew after idle, never per message: a confined arena is cheap enough.
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment bytes = scratch.allocate(Math.max(1, dictionary.remaining()));
            bytes.asByteBuffer().put(0, dictionary, dictionary.position(), dictionary.remaining());
            int rc;
            try {
                rc = (int) ZLIB.deflateSetDictionary().invokeExact(stream, bytes, dictionary.remaining());
            } catch (Throwable e) {
                throw NativeStream.rethrown(e);
            }
            if (rc != Zlib.Z_OK) {
                throw new IllegalStateException("zlib deflateSetDictionary failed: " + NativeStream.describe(stream, rc));
            }
        }
    }

    @Override
    public void reset() {
        ensureOpen();
        int rc = oneArgument(ZLIB.deflateReset(), stream);
        if (rc != Zlib.Z_OK) {
            throw new IllegalStateException("zlib deflateReset failed: " + NativeStream.describe(stream, rc));
        }
        stream.set(JAVA_INT, Zlib.AVAIL_IN, 0);
        input = null;
    }

    @Override
    public void close() {
        cleanable.clean();
        input = null;
    }

    private void ensureOpen() {
        if (state.ended) {
            throw new IllegalStateException("compressor used after close()");
        }
    }


    private static int deflateInit2(MemorySegment stream, int level, int windowBits, int memLevel, int strategy) {
        try {
            return (int) ZLIB.deflateInit2().invokeExact(stream, level, Zlib.Z_DEFLATED, windowBits, memLevel, strategy,
                    ZLIB.versionCString(), (int) Zlib.Z_STREAM.byteSize());
        } catch (Throwable e) {
            throw NativeStream.rethrown(e);
        }
    }

    private static int deflate(MemorySegment stream, int flush) {
        try {
            return (int) ZLIB.deflate().invokeExact(stream, flush);
        } catch (Throwable e) {
            throw NativeStream.rethrown(e);
        }
    }

    private static int oneArgument(MethodHandle function, MemorySegment stream) {
        try {
            return (int) function.invokeExact(stream);
        } catch (Throwable e) {
            throw NativeStream.rethrown(e);
        }
    }
}
