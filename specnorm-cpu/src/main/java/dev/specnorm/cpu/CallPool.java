package dev.specnorm.cpu;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The reusable calls of one kind of operation of a {@link CpuEngine} ({@link PowerCalls}, {@link LanczosCalls},
 * {@link BackwardCalls}) and the participants they run on:
 * <ul>
 *   <li>idle calls of type C, a lock-free set of at most {@value #KEPT}: {@link #checkOut} gives one (or a new
 *       one when none is idle), {@link #checkIn} keeps it for the next caller (or drops it when {@value #KEPT}
 *       are kept already);</li>
 *   <li>the {@link Participants} of each call (kept by the call): its {@link CpuThreads.Sweep} and the
 *       participant of its calling thread, with {@link CpuThreads.RowBlocks} for a matrix processed alone;</li>
 *   <li>a participant per worker thread, by {@link CpuThreads#workerIndex}, made on its first use.</li>
 * </ul>
 * A participant holds the kernels K of one thread (made by the pool's supplier) and hands them, matrix by
 * matrix, to the {@link Work} of the call it serves.
 *
 * <p>Thread safety: {@link #checkOut} and {@link #checkIn} may be called from any thread at once, and a
 * checked-out call (with its participants) belongs to its caller alone until it is checked in; worker w's
 * participant is made and used by worker w only, which runs one helper task at a time, so it serves one call
 * at a time. Everything is owned by the engine (no thread-locals), so it goes when the engine does.
 */
final class CallPool<C, K extends CallPool.Kernels> {

    /** The most idle calls kept (a power of two); more concurrent callers make calls that are then dropped. */
    static final int KEPT = 16;

    /** The kernels of one thread, told before each call whether to split their passes into row blocks. */
    interface Kernels {
        /** Splits the following passes with {@code blocks}, or runs them on the calling thread when null. */
        void useBlocks(CpuThreads.RowBlocks blocks);
    }

    /** What a call does to matrix k on the kernels of the thread that takes it. */
    interface Work<K> {
        void process(int k, K kernels);
    }

    private final CpuThreads threads;
    private final Supplier<C> newCall;
    private final Supplier<K> newKernels;
    private final AtomicReferenceArray<C> idle = new AtomicReferenceArray<>(KEPT);
    /** Slot w: the participant of worker w, made and used by that worker only. */
    private final Object[] workers;

    CallPool(CpuThreads threads, Supplier<C> newCall, Supplier<K> newKernels) {
        this.threads = threads;
        this.newCall = newCall;
        this.newKernels = newKernels;
        this.workers = new Object[Math.max(0, threads.threads() - 1)];
    }

    /** An idle call, or a new one; the search starts at a slot of the calling thread, which tends to get its own back. */
    C checkOut() {
        int first = home();
        for (int i = 0; i < KEPT; i++) {
            int slot = (first + i) & (KEPT - 1);
            if (idle.get(slot) != null) {
                C call = idle.getAndSet(slot, null);
                if (call != null) {
                    return call;
                }
            }
        }
        return newCall.get();
    }

    /** Keeps {@code call} for the next caller, unless {@value #KEPT} are kept already. */
    void checkIn(C call) {
        int first = home();
        for (int i = 0; i < KEPT; i++) {
            if (idle.compareAndSet((first + i) & (KEPT - 1), null, call)) {
                return;
            }
        }
    }

    private static int home() {
        return (int) Thread.currentThread().getId() & (KEPT - 1);
    }

    /** New participants for one call, to be kept with it. */
    Participants participants() {
        return new Participants();
    }

    /** The participant of the calling worker thread {@code worker}, made on its first use. */
    @SuppressWarnings("unchecked") // slots hold only participants of this pool
    private Participant worker(int worker) {
        Object p = workers[worker];
        if (p == null) {
            p = new Participant(null);
            workers[worker] = p;
        }
        return (Participant) p;
    }

    /**
     * The participants of one call: its {@link CpuThreads.Sweep} and its calling thread's participant (the
     * workers' are the pool's). Used by that call's caller only, one {@link #run} at a time.
     */
    final class Participants implements CpuThreads.ParticipantFactory {
        private final CpuThreads.Sweep sweep = threads.sweep();
        private final Participant caller = new Participant(threads.rowBlocks());
        private Work<K> work;

        private Participants() {}

        /** Runs {@code work} on every matrix of {@code w} as {@link CpuThreads.Sweep#run} says. */
        void run(HostBatches w, Work<K> work) {
            this.work = work;
            try {
                sweep.run(w, this);
            } finally {
                this.work = null;
            }
        }

        /** The caller's participant on the calling thread, a worker's own on a worker. */
        @Override
        public CpuThreads.Participant create(boolean alone) {
            int worker = threads.workerIndex();
            return (worker < 0 ? caller : worker(worker)).join(work, alone);
        }
    }

    /** One thread's kernels (a caller's or a worker's), serving the work it {@link #join joined} last. */
    private final class Participant implements CpuThreads.Participant {
        private final K kernels = newKernels.get();
        private final CpuThreads.RowBlocks blocks;
        private Work<K> work;

        /** @param blocks the row blocks to split a matrix processed alone with (the caller's), or null (a worker's) */
        Participant(CpuThreads.RowBlocks blocks) {
            this.blocks = blocks;
        }

        /** Serves {@code work}, splitting its passes into row blocks when {@code alone}. */
        Participant join(Work<K> work, boolean alone) {
            this.work = work;
            kernels.useBlocks(alone ? blocks : null);
            return this;
        }

        @Override
        public void process(int k) {
            work.process(k, kernels);
        }
    }
}
