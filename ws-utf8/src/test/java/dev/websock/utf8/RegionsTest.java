package dev.websock.utf8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The per-thread views of direct buffers: each view is of its own buffer, whatever order buffers come in. */
class RegionsTest {

    @Test
    void threeBuffersInTurnEachGetTheirOwnView() {
        ByteBuffer parent = ByteBuffer.allocateDirect(64);
        ByteBuffer[] buffers = {ByteBuffer.allocateDirect(16), parent.slice(8, 16), parent.duplicate(),
            parent.slice(24, 16).asReadOnlyBuffer()};
        parent.put(24, (byte) 77);
        for (int round = 0; round < 5; round++) {
            for (ByteBuffer buffer : buffers) {
                if (!buffer.isReadOnly()) {
                    buffer.put(0, (byte) (round + 1));
                }
                var view = Regions.whole(buffer);
                assertEquals(buffer.capacity(), view.byteSize());
                assertEquals(buffer.get(0), view.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0), "view of " + buffer);
            }
        }
    }

    @Test
    void theSameBufferTwiceInARowIsViewedOnce() {
        ByteBuffer a = ByteBuffer.allocateDirect(8);
        ByteBuffer b = ByteBuffer.allocateDirect(8);
        var first = Regions.whole(a);
        Regions.whole(b);
        assertSame(first, Regions.whole(a));
        assertSame(first, Regions.whole(a));
    }

    @Test
    void unmaskCopyBetweenADirectBufferAndAHeapSliceWritesOnlyTheRegion() {
        byte[] backing = new byte[32];
        ByteBuffer heapSlice = ByteBuffer.wrap(backing, 8, 16).slice(); // arrayOffset 8
        ByteBuffer direct = ByteBuffer.allocateDirect(16);
        for (int i = 0; i < 16; i++) {
            direct.put(i, (byte) i);
        }
        Unmasker.unmaskCopy(direct, 2, heapSlice, 4, 8, 0, 0);
        for (int i = 0; i < 32; i++) {
            int expected = i >= 12 && i < 20 ? i - 10 : 0;
            assertEquals(expected, backing[i], "byte " + i);
        }
    }
}
