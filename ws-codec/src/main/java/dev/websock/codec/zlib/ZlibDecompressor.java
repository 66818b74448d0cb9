package dev.websock.codec.zlib;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/**
 * A {@link Decompressor} on the system zlib through FFM ({@code inflateInit2} with -15 window bits: raw DEFLATE,
 * any window up to 32 KiB). Input is staged into native memory in pieces, output inflated into a native buffer
 * and copied out. Unlike {@code java.util.zip} it can hand out its window ({@code inflateGetDictionary}, zlib 1.2.8
 * and later), so that an idle connection may let it go and keep only what the peer may still refer to.
 *
 * <p>The native state is freed by {@link #close()}, or by a cleaner once the decompressor is unreachable.
 */
public final class ZlibDecompressor implements Decompressor {

    // Static final, so the JIT treats the downcall handles as constants; bound only once zlib is known to be there.
    private static final Zlib.Functions ZLIB = Zlib.isAvailable() ? Zlib.functions() : null;
    /** RFC 1951: a raw stream's window is at most 32 KiB. */
    private static final int MAX_WINDOW = 32 * 1024;

    private final MemorySegment stream;
    private final MemorySegment stage;
    private final ByteBuffer stageView;
    private final MemorySegment output;
    private final NativeStream state;
    private final Cleaner.Cleanable cleanable;
    private ByteBuffer input;
    private boolean finished;

    /**
     * @param stageSize the input staging buffer's capacity
     * @param outputSize the native output buffer's capacity: the most one {@link #inflate} call produces
     * @throws IllegalStateException when zlib is not available or refuses to start, with zlib's reason
     */
    public ZlibDecompressor(int stageSize, int outputSize) {
        if (ZLIB == null) {
            throw new IllegalStateException("the system zlib is not available: " + Zlib.unavailableReason());
        }
        Arena arena = Arena.ofAuto();
        this.stream = arena.allocate(Zlib.Z_STREAM); // zeroed: zalloc, zfree and opaque are Z_NULL, so zlib uses malloc
        int rc;
        try {
            rc = (int) ZLIB.inflateInit2().invokeExact(stream, -15, ZLIB.versionCString(), (int) Zlib.Z_STREAM.byteSize());
        } catch (Throwable e) {
            throw NativeStream.rethrown(e);
        }
        if (rc != Zlib.Z_OK) {
            throw new IllegalStateException("zlib " + ZLIB.version() + " inflateInit2 failed: " + NativeStream.describe(stream, rc));
        }
        this.state = new NativeStream(stream, ZLIB.inflateEnd());
        this.cleanable = state.cleanWhenUnreachable(this);
        this.stage = arena.allocate(stageSize);
        this.stageView = stage.asByteBuffer();
        this.output = arena.allocate(outputSize);
    }

    @Override
    public void setInput(ByteBuffer input) {
        this.input = input;
        stream.set(JAVA_INT, Zlib.AVAIL_IN, 0); // whatever was staged and not read is dropped, as Inflater does
    }

    @Override
    public int inflate(byte[] out, int offset, int length) throws DataFormatException {
        ensureOpen();
        if (finished || length == 0) {
            return 0;
        }
        if (stream.get(JAVA_INT, Zlib.AVAIL_IN) == 0 && input != null && input.hasRemaining()) {
            int n = Math.min(input.remaining(), (int) stage.byteSize());
            stageView.put(0, input, input.position(), n);
            input.position(input.position() + n);
            stream.set(ADDRESS, Zlib.NEXT_IN, stage);
            stream.set(JAVA_INT, Zlib.AVAIL_IN, n);
        }
        int room = (int) Math.min(length, output.byteSize());
        stream.set(ADDRESS, Zlib.NEXT_OUT, output);
        stream.set(JAVA_INT, Zlib.AVAIL_OUT, room);
        int rc;
        try {
            rc = (int) ZLIB.inflate().invokeExact(stream, Zlib.Z_SYNC_FLUSH);
        } catch (Throwable e) {
            throw NativeStream.rethrown(e);
        }
        switch (rc) {
            case Zlib.Z_OK, Zlib.Z_BUF_ERROR -> { } // Z_BUF_ERROR: no progress possible now, not fatal
            case Zlib.Z_STREAM_END -> finished = true;
            case Zlib.Z_DATA_ERROR -> throw new DataFormatException(NativeStream.message(stream, "invalid data"));
            case Zlib.Z_NEED_DICT -> throw new DataFormatException("the stream asks for a preset dictionary, which raw"
                    + " DEFLATE cannot have");
            default -> throw new IllegalStateException("zlib inflate failed: " + NativeStream.describe(stream, rc));
        }
        int n = room - stream.get(JAVA_INT, Zlib.AVAIL_OUT);
        MemorySegment.copy(output, JAVA_BYTE, 0, out, offset, n);
        return n;
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public boolean needsInput() {
        return getRemaining() == 0;
    }

    @Override
    public int getRemaining() {
        return stream.get(JAVA_INT, Zlib.AVAIL_IN) + (input == null ? 0 : input.remaining());
    }

    @Override
    public void setDictionary(byte[] bytes, int offset, int length) {
        ensureOpen();
        // Once per inflater taken up again after idle, never per message: a confined arena is cheap enough.
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment dictionary = scratch.allocate(Math.max(1, length));
            MemorySegment.copy(bytes, offset, dictionary, JAVA_BYTE, 0, length);
            int rc = (int) ZLIB.inflateSetDictionary().invokeExact(stream, dictionary, length);
            if (rc != Zlib.Z_OK) {
                throw new IllegalStateException("zlib inflateSetDictionary failed: " + NativeStream.describe(stream, rc));
            }
        } catch (Throwable e) {
            throw NativeStream.rethrown(e);
        }
    }

    @Override
    public byte[] window() {
        ensureOpen();
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment bytes = scratch.allocate(MAX_WINDOW);
            MemorySegment length = scratch.allocate(JAVA_INT);
            int rc = (int) ZLIB.inflateGetDictionary().invokeExact(stream, bytes, length);
            if (rc != Zlib.Z_OK) {
                throw new IllegalStateException("zlib inflateGetDictionary failed: " + NativeStream.describe(stream, rc));
            }
            return bytes.asSlice(0, length.get(JAVA_INT, 0)).toArray(JAVA_BYTE);
        } catch (Throwable e) {
            throw NativeStream.rethrown(e);
        }
    }

    @Override
    public void reset() {
        ensureOpen();
        int rc;
        try {
            rc = (int) ZLIB.inflateReset().invokeExact(stream);
        } catch (Throwable e) {
            throw NativeStream.rethrown(e);
        }
        if (rc != Zlib.Z_OK) {
            throw new IllegalStateException("zlib inflateReset failed: " + NativeStream.describe(stream, rc));
        }
        stream.set(JAVA_INT, Zlib.AVAIL_IN, 0);
        input = null;
        finished = false;
    }

    @Override
    public void close() {
        cleanable.clean();
        input = null;
    }

    private void ensureOpen() {
        if (state.ended) {
            throw new IllegalStateException("decompressor used after close()");
        }
    }


}
