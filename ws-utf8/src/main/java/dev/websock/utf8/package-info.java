/**
 * XOR unmasking ({@link dev.websock.utf8.Unmasker}), one-shot UTF-8 validation ({@link dev.websock.utf8.Utf8})
 * and streaming UTF-8 validation ({@link dev.websock.utf8.Utf8Validator}).
 *
 * <p>Every method works on {@code byte[]}, {@link java.nio.ByteBuffer} (heap or direct) and
 * {@link java.lang.foreign.MemorySegment} regions given by absolute indices; none changes a buffer's
 * position or limit, and none allocates, except the {@code ByteBuffer} forms on direct buffers, which wrap
 * the buffer in a {@code MemorySegment} per call (pass a segment made once to avoid that).
 */
package dev.websock.utf8;
