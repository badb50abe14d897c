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
 * small matrix take tens of microseconds, as long as a park/unpark round trip.
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
     * Runs every matrix of {@code work}: the matrices {@link Work#alone} says are large enough are processed
     * one after another on the calling thread by a participant that splits them into row blocks; the others
     * in parallel. A failure of matrix k does not stop the others; afterwards the failure of the lowest k
     * is rethrown, so the error reported does not depend on scheduling.
     */
    void forEach(Work work, ParticipantFactory factory) {
        int count = work.count();
        Failure failure = new Failure();
        Participant aloneParticipant = null;
        int rest = 0;
        for (int k = 0; k < count; k++) {
            if (work.alone(k)) {
                if (aloneParticipant == null) {
                    aloneParticipant = factory.create(true);
                }
                run(aloneParticipant, k, failure);
            } else {
                rest++;
            }
        }
        if (rest > 0) {
            boolean hasAlone = aloneParticipant != null;
            int chunk = Math.max(1, Math.min(1024, rest / (threads * 8)));
            int helpers = pool == null ? 0 : Math.min(threads, (rest + chunk - 1) / chunk) - 1;
            AtomicInteger next = new AtomicInteger();
            Runnable loop = () -> {
                Participant p = factory.create(false);
                int start;
                while ((start = next.getAndAdd(chunk)) < count) {
                    int end = Math.min(count, start + chunk);
                    for (int k = start; k < end; k++) {
                        if (!hasAlone || !work.alone(k)) {
                            run(p, k, failure);
                        }
                    }
                }
            };
            Helpers h = new Helpers(Math.max(0, helpers), loop, spinNanos);
            h.start(pool);
            loop.run();
            h.finish();
        }
        failure.rethrow();
    }

    /**
     * Pool tasks that help the calling thread drain shared work. The caller never waits for a helper that
     * has not started: after its own share it cancels those (the shared counter leaves them nothing to do)
     * and waits only for the ones running, spinning {@code spinNanos} before it parks. So a pool that is slow
     * to start a worker, or loses the signal to start one, costs parallelism but can never hang a call.
     */
    private static final class Helpers {
        private final Runnable work;
        private final AtomicInteger[] state; // 0 queued, 1 running or done, 2 cancelled
        private final AtomicInteger running = new AtomicInteger();
        private final Thread caller = Thread.currentThread();
        private final long spinNanos;
        private volatile Throwable error;

        Helpers(int count, Runnable work, long spinNanos) {
            this.work = work;
            this.spinNanos = spinNanos;
            this.state = new AtomicInteger[count];
            for (int h = 0; h < count; h++) {
                state[h] = new AtomicInteger();
            }
            running.set(count);
        }

        void start(WorkerThreads pool) {
            for (int h = 0; h < state.length; h++) {
                AtomicInteger mine = state[h];
                pool.execute(() -> {
                    if (!mine.compareAndSet(0, 1)) {
                        return;
                    }
                    try {
                        work.run();
                    } catch (Throwable t) {
                        error = t;
                    } finally {
                        if (running.decrementAndGet() == 0) {
                            LockSupport.unpark(caller);
                        }
                    }
                });
            }
        }

        /** Cancels the helpers not started yet, waits for the others, rethrows an error one of them hit. */
        void finish() {
            for (AtomicInteger h : state) {
                if (h.compareAndSet(0, 2)) {
                    running.decrementAndGet();
                }
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
            Throwable t = error;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
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

        synchronized void record(int k, RuntimeException e) {
            if (k < matrix) {
                matrix = k;
                error = e;
            }
        }

        synchronized void rethrow() {
            if (error != null) {
                throw error;
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
     * that has not started. Which thread runs a block does not change what the block computes.
     */
    final class RowBlocks {

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
            AtomicInteger next = new AtomicInteger();
            RuntimeException[] failures = new RuntimeException[blocks];
            Runnable claim = () -> {
                int b;
                while ((b = next.getAndIncrement()) < blocks) {
                    try {
                        body.rows(b, start(b, blocks, rows), start(b + 1, blocks, rows));
                    } catch (RuntimeException e) {
                        failures[b] = e;
                    }
                }
            };
            Helpers h = new Helpers(Math.min(threads, blocks) - 1, claim, spinNanos);
            h.start(pool);
            claim.run();
            h.finish();
            for (RuntimeException e : failures) {
                if (e != null) {
                    throw e;
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
            AtomicInteger next = new AtomicInteger();
            int blocks = Math.min(threads, count);
            run(
                    (block, from, to) -> {
                        int t;
                        while ((t = next.getAndIncrement()) < count) {
                            task.accept(t);
                        }
                    },
                    4 * blocks);
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
