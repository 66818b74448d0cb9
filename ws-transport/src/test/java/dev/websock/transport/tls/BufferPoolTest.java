package dev.websock.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The record-buffer pool: reuse, its bound, and one-off larger buffers. */
class BufferPoolTest {

    @Test
    void aReleasedBufferIsReusedCleared() {
        BufferPool pool = new BufferPool(1024, 2);
        ByteBuffer buffer = pool.acquire(100);
        buffer.put((byte) 1).flip();
        pool.release(buffer);
        ByteBuffer again = pool.acquire(1024);
        assertSame(buffer, again);
        assertEquals(0, again.position());
        assertEquals(1024, again.limit());
    }

    @Test
    void thePoolKeepsNoMoreThanItsCapacity() {
        BufferPool pool = new BufferPool(1024, 2);
        for (int i = 0; i < 5; i++) {
            pool.release(ByteBuffer.allocate(1024));
        }
        assertEquals(2, pool.available());
    }

    @Test
    void buffersLargerThanThePoolSizeAreNeitherTakenFromItNorKept() {
        BufferPool pool = new BufferPool(1024, 2);
        pool.release(ByteBuffer.allocate(1024));
        ByteBuffer large = pool.acquire(5000);
        assertEquals(5000, large.capacity());
        assertEquals(1, pool.available());
        pool.release(large);
        assertEquals(1, pool.available());
        assertNotSame(large, pool.acquire(10));
    }
}
