package dev.websock.transport.tasks;

import java.util.Arrays;

/** A binary min-heap of {@link ScheduledTask}s by deadline; used by its event loop's thread only. */
public final class TimerQueue {
    private final Thread owner;
    private ScheduledTask[] heap = new ScheduledTask[16];
    private int size;

    /** A queue used by {@code owner}, the event loop's thread, only. */
    public TimerQueue(Thread owner) {
        this.owner = owner;
    }

    boolean inOwnerThread() {
        return Thread.currentThread() == owner;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public ScheduledTask peek() {
        return size == 0 ? null : heap[0];
    }

    public void add(ScheduledTask task) {
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
            attachToOwner(task);
        }
    }

    /** Removes {@code task} if it is queued. */
    public void remove(ScheduledTask task) {
        int index = task.heapIndex;
        if (index < 0) {
            return;
        }
        if (task.owner != null) {
            detachFromOwner(task);
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

    private static void attachToOwner(ScheduledTask task) {
        ScheduledTask head = task.owner.firstTimer();
        task.nextOfOwner = head;
        task.previousOfOwner = null;
        if (head != null) {
            head.previousOfOwner = task;
        }
        task.owner.firstTimer(task);
    }

    private static void detachFromOwner(ScheduledTask task) {
        if (task.previousOfOwner != null) {
            task.previousOfOwner.nextOfOwner = task.nextOfOwner;
        } else if (task.owner.firstTimer() == task) {
            task.owner.firstTimer(task.nextOfOwner);
        }
        if (task.nextOfOwner != null) {
            task.nextOfOwner.previousOfOwner = task.previousOfOwner;
        }
        task.previousOfOwner = null;
        task.nextOfOwner = null;
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
