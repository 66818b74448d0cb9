package dev.websock.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The record-buffer pool: reuse, size classes for the ciphertext of paused reads, and its byte bound. */
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
    void largerRequestsGetTheSmallestFittingSizeClassAndItIsReused() {
        BufferPool pool = new BufferPool(1024, 128);
        assertEquals(2048, pool.acquire(1025).capacity());
        assertEquals(4096, pool.acquire(2049).capacity());
        assertEquals(4096, pool.acquire(4096).capacity());
        ByteBuffer stash = pool.acquire(64 * 1024 - 7);
        assertEquals(64 * 1024, stash.capacity());
        stash.put(new byte[100]);
        pool.release(stash);
        ByteBuffer again = pool.acquire(40_000);
        assertSame(stash, again, "a paused read's stash is taken from the pool, not allocated each time");
        assertEquals(0, again.position());
        assertEquals(64 * 1024, again.limit());
    }

    @Test
    void requestsBeyondTheLargestClassAreOneOffAndNotKept() {
        BufferPool pool = new BufferPool(1024, 1000);
        int beyond = 1024 * BufferPool.LARGEST_CLASS_FACTOR + 1;
        ByteBuffer large = pool.acquire(beyond);
        assertEquals(beyond, large.capacity());
        pool.release(large);
        assertEquals(0, pool.available());
        assertNotSame(large, pool.acquire(beyond));
    }

    @Test
    void buffersOfNoClassSizeAreNotKept() {
        BufferPool pool = new BufferPool(1024, 16);
        pool.release(ByteBuffer.allocate(1500));
        pool.release(ByteBuffer.allocate(512));
        assertEquals(0, pool.available());
    }

    @Test
    void whatThePoolKeepsIsBoundedInBytesWhateverTheMixOfSizes() {
        BufferPool pool = new BufferPool(1024, 8); // 8 KiB kept at most
        pool.release(ByteBuffer.allocate(4096));
        pool.release(ByteBuffer.allocate(4096));
        pool.release(ByteBuffer.allocate(8192)); // the budget is spent and nothing larger is free: dropped
        assertEquals(2, pool.available());
        assertEquals(8192, pool.bytesKept());
        pool.acquire(3000);
        assertEquals(4096, pool.bytesKept());
    }

    @Test
    void aSmallerBufferGivenBackDisplacesLargerFreeOnesWhenTheBudgetIsSpent() {
        BufferPool pool = new BufferPool(1024, 8);
        pool.release(ByteBuffer.allocate(4096));
        pool.release(ByteBuffer.allocate(4096));
        ByteBuffer record = ByteBuffer.allocate(1024);
        pool.release(record);
        assertEquals(2, pool.available(), "one 4 KiB buffer made room for the record buffer");
        assertEquals(4096 + 1024, pool.bytesKept());
        assertSame(record, pool.acquire(1000));
    }
}
