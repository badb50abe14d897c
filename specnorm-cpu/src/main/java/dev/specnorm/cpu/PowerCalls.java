package dev.specnorm.cpu;

import dev.specnorm.api.Matrices;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.spi.ResultChecks;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The power-iteration calls of one {@link CpuEngine} (power iteration, initialization, and the operations
 * built on it), kept from call to call in a {@link CallPool} so that a call in the steady state allocates
 * nothing but the σ̂ array it returns:
 * <ul>
 *   <li>{@link Call}s, checked out for the length of one call: the operands' {@link HostBatches} (index and
 *       arrays kept while the operand list keeps its shapes), the {@link HostSigmaEvidence}, the call's
 *       arguments, and its {@link CallPool.Participants};</li>
 *   <li>the {@link Kernels} of each participant (the calling thread's of a call, each worker's): a
 *       {@link PowerIteration} with its {@link MatrixPasses} and {@link Workspace}, and the workspace of what
 *       runs after the iterations.</li>
 * </ul>
 * The weights are bound in place: a matrix in a direct native-order buffer is streamed from where it lies
 * ({@link MatrixPasses#bindBuffer}, for the iterations and whatever runs after them), not copied whole to an
 * array first; the results are the same bit for bit.
 *
 * <p>Thread safety: a checked-out call belongs to its caller alone, so callers on several user threads at once
 * never share one (nor its participant); a worker runs one helper task at a time, so its participant
 * serves one call at a time too; and a call does not nest (no user code runs inside it). What is kept
 * between calls is workspace sized by the largest matrices processed; references to the operands and the
 * state are dropped when a call ends. Everything is owned by the engine (no thread-locals), so it goes
 * when the engine does.
 */
final class PowerCalls {

    /** What runs on matrix k right after its iterations, with σ̂ checked. */
    interface After {
        void apply(int k, PowerIteration iteration, Workspace workspace, float sigma);
    }

    private final CpuThreads threads;
    private final Staging staging;
    private final CallPool<Call, Kernels> pool;

    PowerCalls(CpuThreads threads, Staging staging) {
        this.threads = threads;
        this.staging = staging;
        this.pool = new CallPool<>(threads, Call::new, Kernels::new);
    }

    /**
     * Iterates (after initializing when {@code initialize}) every matrix of {@code weights} on a
     * participant, checks each σ̂, runs {@code after} (unless null), and commits the new vectors once every
     * matrix succeeded; returns σ̂, a new array.
     */
    float[] run(
            List<? extends Matrices> weights, CpuPowerState state, int iterations, boolean initialize, After after) {
        try (Call call = pool.checkOut()) {
            return call.run(weights, state, iterations, initialize, after);
        }
    }

    /** One call in progress, or an idle one: operands, evidence, arguments, participants. */
    private final class Call implements CallPool.Work<Kernels>, AutoCloseable {
        private final HostBatches w = new HostBatches(staging);
        private final HostSigmaEvidence evidence = new HostSigmaEvidence(w);
        private final CallPool<Call, Kernels>.Participants participants = pool.participants();

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
                w.reuseInPlace(weights).planAlone(threads.threads());
                evidence.bind(layout, uIn, vIn);
                participants.run(w, this);
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

        /** Gives this call back to the pool, for the next caller. */
        @Override
        public void close() {
            pool.checkIn(this);
        }

        /** Matrix k on the kernels' iteration (bound to it here), then its checks and {@link #after}. */
        @Override
        public void process(int k, Kernels kernels) {
            PowerIteration iteration = kernels.iteration;
            int m = w.rows(k);
            int n = w.cols(k);
            FloatBuffer direct = w.direct(k);
            if (direct != null) {
                iteration.passes().bindBuffer(direct, w.directOffset(k), m, n);
            } else {
                iteration.passes().bind(w.data(k), w.offset(k), m, n);
            }
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
                    after.apply(k, iteration, kernels.afterWorkspace, sigma[so]);
                }
            } finally {
                iteration.passes().unbind();
            }
        }
    }

    /** One thread's kernels: the iteration with its passes and workspace, the workspace of what runs after. */
    private static final class Kernels implements CallPool.Kernels {
        private final PowerIteration iteration = new PowerIteration(new MatrixPasses());
        private final Workspace afterWorkspace = new Workspace();

        @Override
        public void useBlocks(CpuThreads.RowBlocks blocks) {
            iteration.passes().useBlocks(blocks);
        }
    }
}
