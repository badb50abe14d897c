package dev.specnorm.cpu;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free multi-producer multi-consumer queue of tasks that allocates nothing per task (D.
 * Vyukov's bounded MPMC queue): a ring of slots, each with a sequence number that says whether it is free
 * for the producer of position p (sequence = p) or filled for the consumer of position p (sequence = p + 1).
 * Producers and consumers claim a position by a compare-and-set on the tail or head counter, then fill or
 * empty its slot and publish by writing the slot's sequence (a volatile write after the slot's), so a
 * consumer that sees the sequence sees the task. {@link WorkerThreads} queues {@link CpuThreads}' helper
 * tasks here; a full ring refuses a task instead of growing, which a helper tolerates (it is then simply
 * not started).
 */
final class TaskRing {

    private final AtomicReferenceArray<Runnable> slots;
    private final AtomicLongArray sequence;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    /** A ring of at least {@code capacity} slots (rounded up to a power of two). */
    TaskRing(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        slots = new AtomicReferenceArray<>(size);
        sequence = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            sequence.set(i, i);
        }
        mask = size - 1;
    }

    /** The number of slots. */
    int capacity() {
        return mask + 1;
    }

    /** Adds {@code task} unless the ring is full; returns whether it was added. */
    boolean offer(Runnable task) {
        long pos = tail.get();
        while (true) {
            int i = (int) (pos & mask);
            long gap = sequence.get(i) - pos;
            if (gap == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    slots.set(i, task);
                    sequence.set(i, pos + 1);
                    return true;
                }
                pos = tail.get();
            } else if (gap < 0) {
                return false; // the slot still holds the task of position pos − capacity: full
            } else {
                pos = tail.get(); // another producer took pos
            }
        }
    }

    /** Removes and returns the oldest task, or null if there is none (or the next one is not published yet). */
    Runnable poll() {
        long pos = head.get();
        while (true) {
            int i = (int) (pos & mask);
            long gap = sequence.get(i) - (pos + 1);
            if (gap == 0) {
                if (head.compareAndSet(pos, pos + 1)) {
                    Runnable task = slots.get(i);
                    slots.set(i, null);
                    sequence.set(i, pos + mask + 1);
                    return task;
                }
                pos = head.get();
            } else if (gap < 0) {
                return null;
            } else {
                pos = head.get(); // another consumer took pos
            }
        }
    }
}
