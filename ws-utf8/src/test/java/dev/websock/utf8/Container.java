package dev.websock.utf8;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The kinds of memory the public API takes. {@link #place} puts bytes at an offset inside a larger region of
 * garbage and returns a handle that calls the API with absolute indices into that region.
 */
public enum Container {
    BYTE_ARRAY,
    HEAP_BUFFER,
    /** A heap buffer whose array offset is not zero. */
    HEAP_BUFFER_SLICE,
    /** A heap buffer without an accessible array. */
    READ_ONLY_HEAP_BUFFER,
    DIRECT_BUFFER,
    NATIVE_SEGMENT,
    HEAP_SEGMENT;

    /** Garbage around the bytes: a stray continuation, so reading outside the region changes verdicts. */
    static final byte GARBAGE = (byte) 0x80;
    private static final int SLICE_SKIP = 3;

    /** {@code bytes} at {@code offset}, followed by {@code after} bytes of garbage. */
    public Placed place(byte[] bytes, int offset, int after) {
        byte[] image = new byte[offset + bytes.length + after];
        Arrays.fill(image, GARBAGE);
        System.arraycopy(bytes, 0, image, offset, bytes.length);
        return switch (this) {
            case BYTE_ARRAY -> new Placed(this, image, null, null);
            case HEAP_BUFFER -> new Placed(this, null, ByteBuffer.wrap(image), null);
            case HEAP_BUFFER_SLICE -> {
                byte[] larger = new byte[SLICE_SKIP + image.length];
                Arrays.fill(larger, GARBAGE);
                System.arraycopy(image, 0, larger, SLICE_SKIP, image.length);
                yield new Placed(this, null, ByteBuffer.wrap(larger, SLICE_SKIP, image.length).slice(), null);
            }
            case READ_ONLY_HEAP_BUFFER -> new Placed(this, null, ByteBuffer.wrap(image).asReadOnlyBuffer(), null);
            case DIRECT_BUFFER -> new Placed(this, null, ByteBuffer.allocateDirect(image.length).put(image).clear(), null);
            case NATIVE_SEGMENT -> {
                MemorySegment segment = Arena.ofAuto().allocate(Math.max(1, image.length)).asSlice(0, image.length);
                segment.copyFrom(MemorySegment.ofArray(image));
                yield new Placed(this, null, null, segment);
            }
            case HEAP_SEGMENT -> new Placed(this, null, null, MemorySegment.ofArray(image));
        };
    }

    /** Bytes placed in one container; all indices are absolute in it. */
    public record Placed(Container kind, byte[] array, ByteBuffer buffer, MemorySegment segment) {

        public long feed(Utf8Validator validator, int from, int to) {
            if (array != null) {
                return validator.feed(array, from, to);
            }
            return buffer != null ? validator.feed(buffer, from, to) : validator.feed(segment, from, to);
        }

        public long firstInvalid(int from, int to) {
            if (array != null) {
                return Utf8.firstInvalid(array, from, to);
            }
            return buffer != null ? Utf8.firstInvalid(buffer, from, to) : Utf8.firstInvalid(segment, from, to);
        }

        public boolean isValid(int from, int to) {
            if (array != null) {
                return Utf8.isValid(array, from, to);
            }
            return buffer != null ? Utf8.isValid(buffer, from, to) : Utf8.isValid(segment, from, to);
        }

        public int unmask(int from, int to, int mask, int phase) {
            if (array != null) {
                return Unmasker.unmask(array, from, to, mask, phase);
            }
            return buffer != null
                    ? Unmasker.unmask(buffer, from, to, mask, phase)
                    : Unmasker.unmask(segment, from, to, mask, phase);
        }

        /** Copies {@code length} unmasked bytes from here at {@code from} to {@code dst} at {@code dstFrom}. */
        public int unmaskCopy(int from, Placed dst, int dstFrom, int length, int mask, int phase) {
            if (array != null && dst.array != null) {
                return Unmasker.unmaskCopy(array, from, dst.array, dstFrom, length, mask, phase);
            }
            if (buffer != null && dst.buffer != null) {
                return Unmasker.unmaskCopy(buffer, from, dst.buffer, dstFrom, length, mask, phase);
            }
            if (segment != null && dst.segment != null) {
                return Unmasker.unmaskCopy(segment, from, dst.segment, dstFrom, length, mask, phase);
            }
            throw new IllegalArgumentException("no unmaskCopy from " + kind + " to " + dst.kind);
        }

        public int size() {
            if (array != null) {
                return array.length;
            }
            return buffer != null ? buffer.capacity() : (int) segment.byteSize();
        }

        /** Everything in the container, to compare before and after. */
        public byte[] contents() {
            if (array != null) {
                return array.clone();
            }
            if (buffer != null) {
                byte[] copy = new byte[buffer.capacity()];
                buffer.get(0, copy, 0, copy.length); // absolute: position and limit stay
                return copy;
            }
            return segment.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }

        public boolean writable() {
            return buffer == null || !buffer.isReadOnly();
        }

        @Override
        public String toString() {
            return kind.toString();
        }
    }
}
