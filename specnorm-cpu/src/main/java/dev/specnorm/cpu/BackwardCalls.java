package dev.specnorm.cpu;

import dev.specnorm.api.Matrices;
import dev.specnorm.api.StateLayout;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The spectral-normalization backward calls of one {@link CpuEngine}, kept from call to call in a
 * {@link CallPool} so that a call in the steady state allocates nothing:
 * <ul>
 *   <li>{@link Call}s, checked out for the length of one call: the {@link HostBatches} of the weights, the
 *       output gradient and the result (index and arrays kept while each list keeps its shapes), the
 *       {@link HostSigmaEvidence}, the state's layout and vectors, and the call's
 *       {@link CallPool.Participants};</li>
 *   <li>the {@link Kernels} of each participant (the calling thread's of a call, each worker's): the
 *       {@link MatrixPasses} and the {@link Workspace} of u, v and the two work vectors.</li>
 * </ul>
 * Weights in a direct native-order buffer are streamed where they lie ({@link MatrixPasses#bindBuffer}: the
 * one pass that reads W, W v with ⟨G, W⟩), with the arrays' results bit for bit; G and the result are staged.
 *
 * <p>Thread safety: a checked-out call belongs to its caller alone, so callers on several user threads at once
 * never share one (nor its participant); a worker runs one helper task at a time, so its participant serves
 * one call at a time too. What is kept between calls is four work vectors per participant, sized by the
 * largest matrix processed; references to the operands and the state's vectors are dropped when a call
 * ends. Everything is owned by the engine (no thread-locals), so it goes when the engine does.
 */
final class BackwardCalls {

    /** Slots of the workspace: copies of u and v, t = W v, and the coefficients a of the rank-one update. */
    private static final int U = 0;

    private static final int V = 1;
    private static final int T = 2;
    private static final int A = 3;

    private final CpuThreads threads;
    private final Staging staging;
    private final CallPool<Call, Kernels> pool;

    BackwardCalls(CpuThreads threads, Staging staging) {
        this.threads = threads;
        this.staging = staging;
        this.pool = new CallPool<>(threads, Call::new, Kernels::new);
    }

    /** Writes ∂L/∂W of every matrix of {@code weights} to {@code out}, for G = {@code gradOutput} and the state's u, v. */
    void run(
            List<? extends Matrices> weights,
            CpuPowerState state,
            List<? extends Matrices> gradOutput,
            List<? extends Matrices> out) {
        try (Call call = pool.checkOut()) {
            call.run(weights, state, gradOutput, out);
        }
    }

    /** One call in progress, or an idle one: operands, evidence, the state's layout and vectors, participants. */
    private final class Call implements CallPool.Work<Kernels>, AutoCloseable {
        private final HostBatches w = new HostBatches(staging);
        private final HostBatches g = new HostBatches(staging);
        private final HostBatches o = new HostBatches(staging);
        private final HostSigmaEvidence evidence = new HostSigmaEvidence(w);
        private final CallPool<Call, Kernels>.Participants participants = pool.participants();

        private StateLayout layout;
        private float[] u;
        private float[] v;

        void run(
                List<? extends Matrices> weights,
                CpuPowerState state,
                List<? extends Matrices> gradOutput,
                List<? extends Matrices> out) {
            layout = state.layout();
            u = state.u();
            v = state.v();
            try {
                w.reuseInPlace(weights).planAlone(threads.threads());
                g.reuse(gradOutput);
                o.reuseForOutput(out);
                evidence.bind(layout, u, v);
                participants.run(w, this);
                o.flush();
            } finally {
                w.close();
                g.close();
                o.close();
                evidence.bind(null, null, null);
                layout = null;
                u = null;
                v = null;
            }
        }

        /** Gives this call back to the pool, for the next caller. */
        @Override
        public void close() {
            pool.checkIn(this);
        }

        /** ∂L/∂W of matrix k on the kernels' passes (bound to it here), from copies of its u, v. */
        @Override
        public void process(int k, Kernels kernels) {
            int m = w.rows(k);
            int n = w.cols(k);
            MatrixPasses passes = kernels.passes;
            Workspace ws = kernels.workspace;
            FloatBuffer direct = w.direct(k);
            if (direct != null) {
                passes.bindBuffer(direct, w.directOffset(k), m, n);
            } else {
                passes.bind(w.data(k), w.offset(k), m, n);
            }
            try {
                float[] uk = ws.vector(U, m);
                float[] vk = ws.vector(V, n);
                System.arraycopy(u, layout.uOffset(k), uk, 0, m);
                System.arraycopy(v, layout.vOffset(k), vk, 0, n);
                SpectralNormalization.backward(
                        k,
                        passes,
                        uk,
                        vk,
                        g.data(k),
                        g.offset(k),
                        o.data(k),
                        o.offset(k),
                        ws.vector(T, m),
                        ws.vector(A, m),
                        evidence);
            } finally {
                passes.unbind();
            }
        }
    }

    /** One thread's kernels: the passes over the bound matrix and the workspace of its vectors. */
    private static final class Kernels implements CallPool.Kernels {
        private final MatrixPasses passes = new MatrixPasses();
        private final Workspace workspace = new Workspace();

        @Override
        public void useBlocks(CpuThreads.RowBlocks blocks) {
            passes.useBlocks(blocks);
        }
    }
}
