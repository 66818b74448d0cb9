package dev.websock.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void aPlatformThreadGetsBackTheBufferItGaveBack() {
        ByteBuffer buffer = BufferPool.acquire(100);
        assertTrue(buffer.isDirect());
        assertEquals(BufferPool.SMALL, buffer.capacity());
        BufferPool.release(buffer);
        assertSame(buffer, BufferPool.acquire(100));
    }

    @Test
    void virtualThreadsShareOneBoundedPoolInsteadOfKeepingBuffersEach() throws Exception {
        // The virtual-thread transport runs every connection on threads of its own: buffers a finished thread
        // gave back must serve the next one, not stay with the dead thread.
        Thread drain = Thread.ofVirtual().start(() -> {
            while (BufferPool.sharedFree(BufferPool.LARGE) > 0) {
                BufferPool.acquire(BufferPool.LARGE); // what earlier tests' virtual threads gave back
            }
        });
        drain.join();
        AtomicReference<ByteBuffer> given = new AtomicReference<>();
        Thread first = Thread.ofVirtual().start(() -> {
            ByteBuffer buffer = BufferPool.acquire(BufferPool.LARGE);
            given.set(buffer);
            BufferPool.release(buffer);
        });
        first.join();
        AtomicReference<ByteBuffer> taken = new AtomicReference<>();
        Thread second = Thread.ofVirtual().start(() -> taken.set(BufferPool.acquire(BufferPool.LARGE)));
        second.join();
        assertSame(given.get(), taken.get());

        Thread many = Thread.ofVirtual().start(() -> {
            List<ByteBuffer> buffers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                buffers.add(BufferPool.acquire(BufferPool.LARGE));
            }
            buffers.forEach(BufferPool::release);
        });
        many.join();
        assertEquals(32, BufferPool.sharedFree(BufferPool.LARGE), "the shared pool keeps at most 32 large buffers");
    }
}
