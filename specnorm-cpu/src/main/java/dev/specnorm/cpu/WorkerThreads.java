package dev.specnorm.cpu;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's helper threads: up to {@code count} daemon workers taking tasks from one shared queue (a
 * {@link TaskRing}, which allocates nothing per task, so a call's helper tasks cost no garbage). A
 * worker that runs out of tasks spins for {@code spinNanos} before it parks, so the passes of one call (a
 * power step hands out two or more passes within microseconds) find it awake instead of paying a
 * park/unpark round trip each; a worker idle for longer costs no CPU, and one idle for {@link #KEEP_ALIVE_NANOS}
 * ends (it is started again when work comes), so an engine that is never closed leaves no threads behind.
 * {@code -Dspecnorm.cpu.spinMicros=N} sets the spin (0: park at once), read when an engine starts.
 *
 * <p>Wake-up without lost signals: a worker announces it is about to park (its state becomes PARKED), then
 * looks at the queue once more; a submitter adds its task, then wakes a PARKED worker (or starts an ABSENT
 * one) whose state it can switch to AWAKE. Each side writes before it reads what the other wrote, so at
 * least one of them sees the other.
 */
final class WorkerThreads implements AutoCloseable {

    /** The system property that sets the spin before parking, in microseconds. */
    static final String SPIN_PROPERTY = "specnorm.cpu.spinMicros";

    /** The spin before parking unless {@link #SPIN_PROPERTY} says otherwise. */
    static final long DEFAULT_SPIN_MICROS = 50;

    /** How long a parked worker waits for work before it ends. */
    static final long KEEP_ALIVE_NANOS = 60_000_000_000L;

    private static final int ABSENT = 0;
    private static final int AWAKE = 1;
    private static final int PARKED = 2;

    /** Ring slots per worker: room for every helper of many concurrent calls and their cancelled leftovers. */
    static final int SLOTS_PER_WORKER = 64;

    private final TaskRing queue;
    private final String name;
    private final Thread[] workers;
    private final AtomicIntegerArray state;
    private final long spinNanos;
    private volatile boolean closed;

    /** Up to {@code count} workers named {@code name-0 … name-(count−1)}, started on demand. */
    WorkerThreads(int count, String name, long spinNanos) {
        this.name = name;
        this.spinNanos = spinNanos;
        this.workers = new Thread[count];
        this.state = new AtomicIntegerArray(count);
        this.queue = new TaskRing(Math.max(256, count * SLOTS_PER_WORKER));
    }

    /** The spin before parking set by {@link #SPIN_PROPERTY}, or the default; in nanoseconds. */
    static long configuredSpinNanos() {
        String p = System.getProperty(SPIN_PROPERTY);
        if (p == null || p.isBlank()) {
            return DEFAULT_SPIN_MICROS * 1000;
        }
        try {
            long micros = Long.parseLong(p.trim());
            if (micros < 0) {
                throw new NumberFormatException();
            }
            return micros * 1000;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "-D" + SPIN_PROPERTY + " must be a whole number of microseconds >= 0, got '" + p + "'");
        }
    }

    /**
     * Queues {@code task} and wakes (or starts) one worker that is not awake, if there is one. Returns false,
     * queuing nothing, when the queue is full (every slot holds a task no worker has taken yet).
     */
    boolean execute(Runnable task) {
        if (closed) {
            throw new IllegalStateException("the engine's threads are closed");
        }
        if (!queue.offer(task)) {
            return false;
        }
        for (int i = 0; i < workers.length; i++) {
            int s = state.get(i);
            if (s == PARKED && state.compareAndSet(i, PARKED, AWAKE)) {
                LockSupport.unpark(workers[i]);
                return true;
            }
            if (s == ABSENT && state.compareAndSet(i, ABSENT, AWAKE)) {
                Thread t = new Worker(i);
                workers[i] = t;
                t.start();
                return true;
            }
        }
        return true;
    }

    /**
     * The index (0 .. count − 1) of the calling thread among these workers, or −1 when it is not one of
     * them. A worker started again after its keep-alive gets the index of the one it replaces, and the two
     * never run at once, so per-index state is used by one thread at a time.
     */
    int currentIndex() {
        return Thread.currentThread() instanceof Worker w && w.pool() == this ? w.index : -1;
    }

    /** A worker thread: runs {@link #work} for its index. */
    private final class Worker extends Thread {
        private final int index;

        Worker(int index) {
            super(name + "-" + index);
            this.index = index;
            setDaemon(true);
        }

        WorkerThreads pool() {
            return WorkerThreads.this;
        }

        @Override
        public void run() {
            work(index);
        }
    }

    private void work(int index) {
        long idleSince = System.nanoTime();
        while (!closed) {
            Runnable task = queue.poll();
            if (task == null && System.nanoTime() - idleSince < spinNanos) {
                Thread.onSpinWait();
                continue;
            }
            if (task == null) {
                state.set(index, PARKED);
                task = queue.poll();
                if (task == null) {
                    if (!park(index)) {
                        return;
                    }
                    idleSince = System.nanoTime();
                    continue;
                }
                state.compareAndSet(index, PARKED, AWAKE);
            }
            try {
                task.run();
            } catch (Throwable t) {
                // tasks record their own failures (CpuThreads.Helpers); nothing may stop the worker
            }
            idleSince = System.nanoTime();
        }
    }

    /** Parks until a submitter wakes this worker (true) or the keep-alive ends or the pool closes (false). */
    private boolean park(int index) {
        long parkedSince = System.nanoTime();
        while (state.get(index) == PARKED) {
            if (closed) {
                return false;
            }
            long left = KEEP_ALIVE_NANOS - (System.nanoTime() - parkedSince);
            if (left <= 0 && state.compareAndSet(index, PARKED, ABSENT)) {
                return false;
            }
            LockSupport.parkNanos(this, Math.max(left, 1));
        }
        return true;
    }

    /** Stops the workers once they finish the task in hand; queued tasks are not run. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < workers.length; i++) {
            Thread t = workers[i];
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
