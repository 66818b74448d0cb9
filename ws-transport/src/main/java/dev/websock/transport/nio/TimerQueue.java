package dev.websock.transport.nio;

import java.util.Arrays;

/** A binary min-heap of {@link ScheduledTask}s by deadline; used by its event loop's thread only. */
final class TimerQueue {
    private ScheduledTask[] heap = new ScheduledTask[16];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    ScheduledTask peek() {
        return size == 0 ? null : heap[0];
    }

    void add(ScheduledTask task) {
        if (task.heapIndex >= 0) {
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        task.heapIndex = size;
        heap[size++] = task;
        siftUp(task.heapIndex);
        if (task.owner != null) {
            task.owner.attachTimer(task);
        }
    }

    /** Removes {@code task} if it is queued. */
    void remove(ScheduledTask task) {
        int index = task.heapIndex;
        if (index < 0) {
            return;
        }
        if (task.owner != null) {
            task.owner.detachTimer(task);
        }
        task.heapIndex = -1;
        ScheduledTask last = heap[--size];
        heap[size] = null;
        if (index != size) {
            heap[index] = last;
            last.heapIndex = index;
            siftDown(index);
            siftUp(last.heapIndex);
        }
    }

    private void siftUp(int index) {
        ScheduledTask task = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            ScheduledTask above = heap[parent];
            if (above.deadline - task.deadline <= 0) {
                break;
            }
            heap[index] = above;
            above.heapIndex = index;
            index = parent;
        }
        heap[index] = task;
        task.heapIndex = index;
    }

    private void siftDown(int index) {
        ScheduledTask task = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && heap[right].deadline - heap[child].deadline < 0) {
                child = right;
            }
            if (task.deadline - heap[child].deadline <= 0) {
                break;
            }
            heap[index] = heap[child];
            heap[index].heapIndex = index;
            index = child;
        }
        heap[index] = task;
        task.heapIndex = index;
    }
}
