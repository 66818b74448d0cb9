package dev.websock.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.WriteCallback;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The queue of writes waiting for encryption, against a simple model under random adds and partial takes. */
class PlaintextQueueTest {

    private static final class Named implements WriteCallback {
        final int id;

        Named(int id) {
            this.id = id;
        }

        @Override
        public void completed(Connection connection) {
        }

        @Override
        public void failed(Connection connection, Throwable cause) {
        }
    }

    /** Takes up to {@code max} bytes from the queued buffers, as SSLEngine.wrap does; returns how many. */
    private static int take(PlaintextQueue queue, int max) {
        int taken = 0;
        ByteBuffer[] buffers = queue.buffers();
        for (int i = queue.head(); i < queue.head() + queue.length() && taken < max; i++) {
            int n = Math.min(buffers[i].remaining(), max - taken);
            buffers[i].position(buffers[i].position() + n);
            taken += n;
        }
        queue.consumed(taken);
        return taken;
    }

    @Test
    void writesCompleteInOrderOnceTheirLastByteIsTakenWhateverTheInterleaving() {
        Random random = new Random(8446);
        PlaintextQueue queue = new PlaintextQueue();
        Deque<int[]> model = new ArrayDeque<>(); // {id, bytes left}
        int nextId = 0;
        int nextCompleted = 0;
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(3) > 0) {
                int count = random.nextInt(4); // zero-buffer and empty-buffer writes included
                ByteBuffer[] buffers = new ByteBuffer[count + 2];
                int bytes = 0;
                for (int i = 0; i < count; i++) {
                    buffers[i + 1] = ByteBuffer.allocate(random.nextInt(50));
                    bytes += buffers[i + 1].remaining();
                }
                queue.add(buffers, 1, count, new Named(nextId));
                model.addLast(new int[] {nextId++, bytes});
            } else {
                int taken = take(queue, random.nextInt(120));
                while (taken > 0 && !model.isEmpty()) {
                    int[] first = model.peekFirst();
                    int n = Math.min(first[1], taken);
                    first[1] -= n;
                    taken -= n;
                    if (first[1] == 0) {
                        model.pollFirst(); // complete; zero-byte writes behind it complete too, below
                    } else {
                        break;
                    }
                }
            }
            queue.skipDrained();
            while (queue.firstCompleted()) {
                Named completed = (Named) queue.removeFirst(false);
                assertEquals(nextCompleted++, completed.id, "completions in write order");
            }
            while (!model.isEmpty() && model.peekFirst()[0] < nextCompleted) {
                model.pollFirst();
            }
            long expectedBytes = model.stream().mapToLong(write -> write[1]).sum();
            assertEquals(expectedBytes, queue.bytes(), "bytes waiting at step " + step);
            assertEquals(model.isEmpty(), queue.isEmpty(), "empty at step " + step);
        }
    }

    @Test
    void discardingFailsEveryWriteAndLeavesNothing() {
        PlaintextQueue queue = new PlaintextQueue();
        Named first = new Named(0);
        Named second = new Named(1);
        queue.add(new ByteBuffer[] {ByteBuffer.allocate(10), ByteBuffer.allocate(5)}, 0, 2, first);
        queue.add(new ByteBuffer[] {ByteBuffer.allocate(7)}, 0, 1, second);
        take(queue, 12);
        assertFalse(queue.firstCompleted());
        assertSame(first, queue.removeFirst(true));
        assertEquals(7, queue.bytes());
        assertSame(second, queue.removeFirst(true));
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.bytes());
        assertEquals(0, queue.length());
    }

    @Test
    void aQueueHoldsNoArraysUntilItsFirstWriteWhichMayHaveAnyNumberOfBuffers() {
        PlaintextQueue queue = new PlaintextQueue();
        assertEquals(0, queue.buffers().length, "a connection that never writes keeps no arrays");
        ByteBuffer[] nine = new ByteBuffer[9];
        for (int i = 0; i < nine.length; i++) {
            nine[i] = ByteBuffer.allocate(3);
        }
        Named write = new Named(0);
        queue.add(nine, 0, nine.length, write);
        assertEquals(27, queue.bytes());
        assertEquals(9, queue.length());
        assertEquals(27, take(queue, 100));
        assertTrue(queue.firstCompleted());
        assertSame(write, queue.removeFirst(false));
        assertTrue(queue.isEmpty());
    }
}
