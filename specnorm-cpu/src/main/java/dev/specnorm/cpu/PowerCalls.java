package dev.specnorm.cpu;

import dev.specnorm.api.Matrices;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.spi.ResultChecks;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The power-iteration calls of one {@link CpuEngine} (power iteration, initialization, and the operations
 * built on it), kept from call to call so that a call in the steady state allocates nothing but the σ̂ array
 * it returns:
 * <ul>
 *   <li>{@link Call}s, checked out for the length of one call from a lock-free set of idle ones
 *       ({@value #KEPT} at most; a caller that finds none idle makes one): the operands' {@link HostBatches}
 *       (index and arrays kept while the operand list keeps its shapes), the {@link HostSigmaEvidence}, the
 *       {@link CpuThreads.Sweep} (shared counter, helper tasks, failure), the call's arguments, and the
 *       {@link Participant} of the calling thread;</li>
 *   <li>a {@link Participant} per worker thread of the engine, by {@link CpuThreads#workerIndex}: a
 *       {@link PowerIteration} with its {@link MatrixPasses} and {@link Workspace}, the workspace of what
 *       runs after the iterations, and, for the caller's participant when it processes a matrix alone, its
 *       {@link CpuThreads.RowBlocks}.</li>
 * </ul>
 * Thread safety: a checked-out call belongs to its caller alone, so callers on several user threads at once
 * never share one (nor its participant); a worker runs one helper task at a time, so its participant
 * serves one call at a time too; and a call does not nest (no user code runs inside it). What is kept
 * between calls is workspace sized by the largest matrices processed; references to the operands and the
 * state are dropped when a call ends. Everything is owned by the engine (no thread-locals), so it goes
 * when the engine does.
 */
final class PowerCalls {

    /** The most idle calls kept (a power of two); more concurrent callers make calls that are then dropped. */
    static final int KEPT = 16;

    /** What runs on matrix k right after its iterations, with σ̂ checked. */
    interface After {
        void apply(int k, PowerIteration iteration, Workspace workspace, float sigma);
    }

    private final CpuThreads threads;
    private final Staging staging;
    private final AtomicReferenceArray<Call> idle = new AtomicReferenceArray<>(KEPT);
    /** Slot w: the participant of worker w, made and used by that worker only. */
    private final Participant[] workers;

    PowerCalls(CpuThreads threads, Staging staging) {
        this.threads = threads;
        this.staging = staging;
        this.workers = new Participant[Math.max(0, threads.threads() - 1)];
    }

    /**
     * Iterates (after initializing when {@code initialize}) every matrix of {@code weights} on a
     * participant, checks each σ̂, runs {@code after} (unless null), and commits the new vectors once every
     * matrix succeeded; returns σ̂, a new array.
     */
    float[] run(
            List<? extends Matrices> weights, CpuPowerState state, int iterations, boolean initialize, After after) {
        Call call = checkOut();
        try {
            return call.run(weights, state, iterations, initialize, after);
        } finally {
            checkIn(call);
        }
    }

    /** An idle call, or a new one; the search starts at a slot of the calling thread, which tends to get its own back. */
    private Call checkOut() {
        int first = home();
        for (int i = 0; i < KEPT; i++) {
            int slot = (first + i) & (KEPT - 1);
            if (idle.get(slot) != null) {
                Call call = idle.getAndSet(slot, null);
                if (call != null) {
                    return call;
                }
            }
        }
        return new Call();
    }

    /** Keeps {@code call} for the next caller, unless {@value #KEPT} are kept already. */
    private void checkIn(Call call) {
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

    /** The participant of the calling worker thread {@code worker}, made on its first use. */
    private Participant worker(int worker) {
        Participant p = workers[worker];
        if (p == null) {
            p = new Participant();
            workers[worker] = p;
        }
        return p;
    }

    /** One call in progress, or an idle one: operands, evidence, sweep, arguments, the caller's participant. */
    private final class Call implements CpuThreads.ParticipantFactory {
        private final HostBatches w = new HostBatches(staging);
        private final HostSigmaEvidence evidence = new HostSigmaEvidence(w);
        private final CpuThreads.Sweep sweep = threads.sweep();
        private final Participant caller = new Participant();

        private StateLayout layout;
        private int vectors;
        private boolean initialize;
        private int iterations;
        private After after;
        private float[] sigma;
        private float[] uIn;
        private float[] vIn;
        private float[] uOut;
        private float[] vOut;

        float[] run(
                List<? extends Matrices> weights,
                CpuPowerState state,
                int iterations,
                boolean initialize,
                After after) {
            layout = state.layout();
            vectors = layout.vectors();
            this.iterations = iterations;
            this.initialize = initialize;
            this.after = after;
            float[] out = new float[layout.matrices() * vectors];
            sigma = out;
            boolean update = initialize || iterations > 0;
            uIn = state.u();
            vIn = state.v();
            uOut = update ? state.nextU() : null;
            vOut = update ? state.nextV() : null;
            try {
                w.reuse(weights).planAlone(threads.threads());
                evidence.bind(layout, uIn, vIn);
                sweep.run(w, this);
            } finally {
                w.close();
                evidence.bind(null, null, null);
                layout = null;
                this.after = null;
                sigma = null;
                uIn = null;
                vIn = null;
                uOut = null;
                vOut = null;
            }
            if (update) {
                state.commit();
            }
            return out;
        }

        /** The caller's participant on the calling thread, a worker's own on a worker. */
        @Override
        public CpuThreads.Participant create(boolean alone) {
            int worker = threads.workerIndex();
            return (worker < 0 ? caller : worker(worker)).join(this, alone);
        }

        /** Matrix k on {@code iteration} (bound to it here), then its checks and {@link #after}. */
        void process(int k, PowerIteration iteration, Workspace afterWorkspace) {
            int m = w.rows(k);
            int n = w.cols(k);
            iteration.passes().bind(w.data(k), w.offset(k), m, n);
            try {
                int so = k * vectors;
                iteration.run(
                        layout.operator(),
                        vectors,
                        uIn,
                        vIn,
                        layout.uOffset(k),
                        layout.vOffset(k),
                        initialize,
                        iterations,
                        sigma,
                        so,
                        uOut,
                        vOut);
                boolean evaluated = iterations == 0 && !initialize;
                ResultChecks.checkSigmas(
                        k,
                        sigma,
                        so,
                        vectors,
                        evaluated,
                        layout.operator() == StateLayout.Operator.GRAM,
                        m,
                        n,
                        evidence);
                if (after != null) {
                    after.apply(k, iteration, afterWorkspace, sigma[so]);
                }
            } finally {
                iteration.passes().unbind();
            }
        }
    }

    /** One thread's kernels (a caller's or a worker's), serving the call it {@link #join joined} last. */
    private final class Participant implements CpuThreads.Participant {
        private final PowerIteration iteration = new PowerIteration(new MatrixPasses());
        private final Workspace afterWorkspace = new Workspace();
        private CpuThreads.RowBlocks blocks;
        private Call call;

        /** Serves {@code call}, splitting passes into row blocks when {@code alone}. */
        Participant join(Call call, boolean alone) {
            this.call = call;
            if (alone && blocks == null) {
                blocks = threads.rowBlocks();
            }
            iteration.passes().useBlocks(alone ? blocks : null);
            return this;
        }

        @Override
        public void process(int k) {
            call.process(k, iteration, afterWorkspace);
        }
    }
}
