package dev.websock.utf8;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Views of buffer regions that have no reachable backing array (direct or read-only buffers). */
final class Regions {

    private Regions() {}

    /** The bytes {@code buf[from, to)} as a segment whose offset 0 is {@code from}. */
    static MemorySegment of(ByteBuffer buf, int from, int to) {
        return MemorySegment.ofBuffer(buf.slice(from, to - from));
    }
}
