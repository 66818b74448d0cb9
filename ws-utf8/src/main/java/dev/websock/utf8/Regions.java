package dev.websock.utf8;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Views of buffers that have no reachable backing array (direct or read-only buffers) as memory segments, which
 * is what the kernels work on.
 *
 * <p>Making a view allocates, and a WebSocket server passes the same few direct buffers (an event loop's read
 * buffer, a TLS layer's plaintext buffer) again and again, so each thread keeps views of the last two buffers it
 * passed. That keeps the cache out of the objects that live as long as a connection: a per-connection cache held
 * 144 bytes for every idle connection.
 */
final class Regions {
    private static final ThreadLocal<Regions> PER_THREAD = ThreadLocal.withInitial(Regions::new);

    private ByteBuffer recent;
    private MemorySegment recentView;
    private ByteBuffer older;
    private MemorySegment olderView;

    private Regions() {}

    /** A segment over the whole of {@code buf}, from 0 to its capacity, so that its offsets are the buffer's. */
    static MemorySegment whole(ByteBuffer buf) {
        Regions views = PER_THREAD.get();
        if (views.recent == buf) {
            return views.recentView;
        }
        if (views.older != buf) {
            views.olderView = MemorySegment.ofBuffer(buf.duplicate().clear());
            views.older = buf;
        }
        ByteBuffer swap = views.recent;
        MemorySegment swapView = views.recentView;
        views.recent = views.older;
        views.recentView = views.olderView;
        views.older = swap;
        views.olderView = swapView;
        return views.recentView;
    }
}
