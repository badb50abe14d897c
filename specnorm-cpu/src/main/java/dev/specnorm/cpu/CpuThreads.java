package dev.specnorm.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The engine's threads: dedicated daemon workers ({@link WorkerThreads}, {@code threads − 1} of them, the
 * calling thread being the last) used two ways, never nested:
 * <ul>
 *   <li>{@link #forEach}: parallel over the matrices of a batch or list, each participant with its own
 *       workspaces, taking chunks of matrices from a shared counter;</li>
 *   <li>{@link RowBlocks}: one large matrix split into row blocks, for the passes of one operation.</li>
 * </ul>
 * Dedicated workers (rather than the common pool) keep the engine's tasks apart from the caller's, so a
 * task never runs another call's work while it holds a workspace. Idle workers, and a caller waiting for
 * them, spin {@link WorkerThreads#configuredSpinNanos} before they park: the passes of a power step on a
 * small matrix take tens of microseconds, as long as a park/unpark round trip. A {@link Sweep} and a
 * {@link RowBlocks} keep their state (counters, helper tasks, failures) for their next run, and the workers'
 * queue allocates nothing per task, so a caller that keeps them ({@link CallPool}) runs without garbage.
 */
final class CpuThreads implements AutoCloseable {

    /** Matrices of at least this many elements are worth splitting into row blocks. */
    static final int SPLIT_ELEMENTS = 1 << 17;

    private final int threads;
    private final long spinNanos;
    private final WorkerThreads pool;

    CpuThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.spinNanos = WorkerThreads.configuredSpinNanos();
        this.pool = threads == 1 ? null : new WorkerThreads(threads - 1, "specnorm-cpu", spinNanos);
    }

    /** Threads that work on one call, the caller included. */
    int threads() {
        return threads;
    }

    /**
     * The index (0 .. threads − 2) of the calling thread among the engine's workers, or −1 when it is not
     * one (a caller): per-worker state indexed by it serves one thread at a time.
     */
    int workerIndex() {
        return pool == null ? -1 : pool.currentIndex();
    }

    /** A participant of {@link #forEach}: owns its workspaces, processes one matrix at a time. */
    interface Participant {
        /** Processes matrix {@code k}; may throw, which is recorded and rethrown after all matrices ran. */
        void process(int k);
    }

    /** Creates participants; {@code alone} means the matrices it gets are processed one at a time, split. */
    interface ParticipantFactory {
        Participant create(boolean alone);
    }

    /**
     * Runs every matrix of {@code work} as {@link Sweep#run} says, with state made for this call (for
     * operations that do not keep a {@link Sweep} of their own).
     */
    void forEach(Work work, ParticipantFactory factory) {
        new Sweep().run(work, factory);
    }

    /** A reusable {@link #forEach} for one caller at a time. */
    Sweep sweep() {
        return new Sweep();
    }

    /**
     * The state of a {@link #forEach} (the shared matrix counter, the helper tasks, the lowest failure),
     * kept for the next call: {@link #run} allocates nothing. Used by one calling thread at a time; the
     * helpers it starts share it only until {@link #run} returns.
     */
    final class Sweep {
        private final Failure failure = new Failure();
        private final AtomicInteger next = new AtomicInteger();
        private final Helpers helpers = new Helpers();
        private final Runnable loop = this::loop;
        private Work work;
        private ParticipantFactory factory;
        private int count;
        private int chunk;
        private boolean hasAlone;

        private Sweep() {}

        /**
         * Runs every matrix of {@code work}: the matrices {@link Work#alone} says are large enough are
         * processed one after another on the calling thread by a participant that splits them into row
         * blocks; the others in parallel. A failure of matrix k does not stop the others; afterwards the
         * failure of the lowest k is rethrown, so the error reported does not depend on scheduling.
         */
        void run(Work work, ParticipantFactory factory) {
            this.work = work;
            this.factory = factory;
            count = work.count();
            failure.clear();
            try {
                Participant aloneParticipant = null;
                int rest = 0;
                for (int k = 0; k < count; k++) {
                    if (work.alone(k)) {
                        if (aloneParticipant == null) {
                            aloneParticipant = factory.create(true);
                        }
                        CpuThreads.run(aloneParticipant, k, failure);
                    } else {
                        rest++;
                    }
                }
                if (rest > 0) {
                    hasAlone = aloneParticipant != null;
                    chunk = Math.max(1, Math.min(1024, rest / (threads * 8)));
                    int helperCount = pool == null ? 0 : Math.min(threads, (rest + chunk - 1) / chunk) - 1;
                    next.set(0);
                    helpers.start(Math.max(0, helperCount), loop);
                    try {
                        loop.run();
                    } finally {
                        helpers.finish();
                    }
                }
            } finally {
                this.work = null;
                this.factory = null;
            }
            failure.rethrow();
        }

        private void loop() {
            Participant p = factory.create(false);
            int start;
            while ((start = next.getAndAdd(chunk)) < count) {
                int end = Math.min(count, start + chunk);
                for (int k = start; k < end; k++) {
                    if (!hasAlone || !work.alone(k)) {
                        CpuThreads.run(p, k, failure);
                    }
                }
            }
        }
    }

    /**
     * Pool tasks that help the calling thread drain shared work, reusable: the task objects are made once
     * and started again by each {@link #start}. The caller never waits for a helper that has not started:
     * after its own share it cancels those (the shared counter leaves them nothing to do) and waits only for
     * the ones running, spinning {@code spinNanos} before it parks. So a pool that is slow to start a worker,
     * loses the signal to start one or has no room to queue it costs parallelism but can never hang a call.
     *
     * <p>A cancelled task may still sit in the pool's queue when the next {@link #start} queues it again; a
     * worker that takes either copy runs it once, because each start lets one claim (QUEUED → RUNNING) succeed,
     * and a copy taken between two starts finds its task RUNNING or CANCELLED and does nothing.
     */
    private final class Helpers {
        private static final int QUEUED = 0;
        private static final int RUNNING = 1; // or done
        private static final int CANCELLED = 2;

        private final Task[] tasks = new Task[Math.max(0, threads - 1)];
        private final AtomicInteger running = new AtomicInteger();
        private int count;
        private Runnable work;
        private Thread caller;
        private volatile Throwable error;

        /** Starts {@code count} (at most threads − 1) helpers running {@code work}. */
        void start(int count, Runnable work) {
            this.count = count;
            this.work = work;
            this.caller = Thread.currentThread();
            this.error = null;
            running.set(count);
            for (int h = 0; h < count; h++) {
                if (tasks[h] == null) {
                    tasks[h] = new Task();
                }
                tasks[h].state.set(QUEUED);
            }
            for (int h = 0; h < count; h++) {
                boolean queued;
                try {
                    queued = pool.execute(tasks[h]);
                } catch (RuntimeException e) {
                    finish(); // the pool is closed: cancel the rest, wait for the ones started
                    throw e;
                }
                if (!queued) {
                    cancel(tasks[h]);
                }
            }
        }

        private void cancel(Task task) {
            if (task.state.compareAndSet(QUEUED, CANCELLED)) {
                running.decrementAndGet();
            }
        }

        /** Cancels the helpers not started yet, waits for the others, rethrows an error one of them hit. */
        void finish() {
            for (int h = 0; h < count; h++) {
                cancel(tasks[h]);
            }
            long spinStart = System.nanoTime();
            while (running.get() > 0 && System.nanoTime() - spinStart < spinNanos) {
                Thread.onSpinWait();
            }
            boolean interrupted = false;
            while (running.get() > 0) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            work = null;
            Throwable t = error;
            error = null;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }

        /** One helper: runs the work once per start, if it is claimed before the caller cancels it. */
        private final class Task implements Runnable {
            final AtomicInteger state = new AtomicInteger(CANCELLED);

            @Override
            public void run() {
                if (!state.compareAndSet(QUEUED, RUNNING)) {
                    return;
                }
                Thread waiting = caller;
                try {
                    work.run();
                } catch (Throwable t) {
                    error = t;
                } finally {
                    if (running.decrementAndGet() == 0) {
                        LockSupport.unpark(waiting);
                    }
                }
            }
        }
    }

    private static void run(Participant p, int k, Failure failure) {
        try {
            p.process(k);
        } catch (RuntimeException e) {
            failure.record(k, e);
        }
    }

    /** The matrices of one call. */
    interface Work {
        int count();

        /** Whether matrix k is processed alone, split into row blocks. */
        boolean alone(int k);
    }

    /** The failure of the lowest matrix index. */
    private static final class Failure {
        private int matrix = Integer.MAX_VALUE;
        private RuntimeException error;

        synchronized void clear() {
            matrix = Integer.MAX_VALUE;
            error = null;
        }

        synchronized void record(int k, RuntimeException e) {
            if (k < matrix) {
                matrix = k;
                error = e;
            }
        }

        synchronized void rethrow() {
            RuntimeException e = error;
            if (e != null) {
                clear();
                throw e;
            }
        }
    }

    /** A body run over row ranges by {@link RowBlocks}. */
    interface RowBody {
        /** Processes rows [from, to) as block {@code block} of the current pass. */
        void rows(int block, int from, int to);
    }

    /** Splits the rows of one matrix into blocks processed in parallel; reusable across passes. */
    RowBlocks rowBlocks() {
        return new RowBlocks();
    }

    /**
     * Row-block parallelism for one large matrix: the blocks of a pass are claimed from a shared counter by
     * the calling thread and by pool helpers ({@link Helpers}); the calling thread never waits for a helper
     * that has not started. Which thread runs a block does not change what the block computes. An instance
     * keeps its pass state (counter, helper tasks, failures) for the next pass, so a pass allocates nothing;
     * it belongs to one thread at a time (the participant that owns it), and its passes do not nest.
     */
    final class RowBlocks {
        private final AtomicInteger next = new AtomicInteger();
        private final Helpers helpers = new Helpers();
        private final Runnable claim = this::claim;
        private RuntimeException[] failures = new RuntimeException[0];
        private RowBody body;
        private int rows;
        private int blocks;

        private final AtomicInteger nextTask = new AtomicInteger();
        private final RowBody taskBody = this::takeTasks;
        private IntConsumer task;
        private int taskCount;

        private RowBlocks() {}

        /** Blocks a pass over {@code rows} rows uses (at most the thread count). */
        int blocks(int rows) {
            return Math.max(1, Math.min(threads, rows / 4));
        }

        /** Runs {@code body} over rows [0, rows) in {@link #blocks} blocks; returns when all are done. */
        void run(RowBody body, int rows) {
            run(body, rows, blocks(rows));
        }

        /**
         * Runs {@code body} over rows [0, rows) cut into {@code blocks} blocks (block b starts at row
         * ⌊b·rows/blocks⌋), claimed by up to {@link #threads()} threads; returns when all are done.
         */
        void run(RowBody body, int rows, int blocks) {
            if (blocks == 1) {
                body.rows(0, 0, rows);
                return;
            }
            if (failures.length < blocks) {
                failures = new RuntimeException[blocks];
            }
            this.body = body;
            this.rows = rows;
            this.blocks = blocks;
            next.set(0);
            helpers.start(Math.min(threads, blocks) - 1, claim);
            try {
                claim();
            } finally {
                helpers.finish();
                this.body = null;
            }
            RuntimeException first = null;
            for (int b = 0; b < blocks; b++) {
                if (first == null) {
                    first = failures[b];
                }
                failures[b] = null;
            }
            if (first != null) {
                throw first;
            }
        }

        private void claim() {
            int b;
            while ((b = next.getAndIncrement()) < blocks) {
                try {
                    body.rows(b, start(b, blocks, rows), start(b + 1, blocks, rows));
                } catch (RuntimeException e) {
                    failures[b] = e;
                }
            }
        }

        /**
         * Runs tasks 0 .. count − 1 on up to {@link #threads()} threads, each thread taking the next task
         * from a shared counter; returns when all are done. The tasks themselves are fixed by the caller, so
         * what each computes does not depend on the thread count.
         */
        void tasks(int count, IntConsumer task) {
            if (count <= 0) {
                return;
            }
            this.task = task;
            this.taskCount = count;
            nextTask.set(0);
            int blocks = Math.min(threads, count);
            try {
                run(taskBody, 4 * blocks);
            } finally {
                this.task = null;
            }
        }

        private void takeTasks(int block, int from, int to) {
            int t;
            while ((t = nextTask.getAndIncrement()) < taskCount) {
                task.accept(t);
            }
        }

        private int start(int b, int blocks, int rows) {
            return (int) ((long) b * rows / blocks);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
