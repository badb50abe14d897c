package dev.specnorm.cpu;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.spi.GramPenalty;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The Gram-penalty calls of one {@link CpuEngine}, kept from call to call in a {@link CallPool} so that a
 * call in the steady state allocates no workspace, only its loss array and a few small objects:
 * <ul>
 *   <li>{@link Call}s, checked out for the length of one call: the {@link HostBatches} of the weights and of
 *       the gradient (index and arrays kept while each list keeps its shapes; on the native path, direct
 *       native-order buffers are bound in place), the call's arguments and its {@link CallPool.Participants};</li>
 *   <li>the {@link Kernels} of each participant (the calling thread's of a call, each worker's): a
 *       {@link GramPenalties} with its float64 Gram and EJML matrices, and, on the native path, the
 *       {@link NativeWorkspace} it took from the engine's {@link NativePool} for the current call.</li>
 * </ul>
 * Thread safety: a checked-out call belongs to its caller alone, and a worker runs one helper task at a
 * time, so a participant's kernels serve one call at a time. What is kept between calls is sized by the
 * largest matrix processed: r² doubles and, for a large matrix on the pure path, EJML's r² floats plus
 * copies of W (r = the Gram's order, 512 for BigGAN's 512×4608: 2 MiB of Gram). The native workspaces go back
 * to the pool when each call ends; references to the operands are dropped.
 */
final class PenaltyCalls {

    private final CpuThreads threads;
    private final Staging staging;
    private final NativePool nativePool;
    private final CallPool<Call, Kernels> pool;

    /** @param nativePool the workspaces of the native path, or null for the pure-Java path */
    PenaltyCalls(CpuThreads threads, Staging staging, NativePool nativePool) {
        this.threads = threads;
        this.staging = staging;
        this.nativePool = nativePool;
        this.pool = new CallPool<>(threads, Call::new, Kernels::new);
    }

    /**
     * The penalty of every matrix of {@code weights} (float64, each checked to fit float32); writes ∂R/∂W to
     * {@code gradient} unless that is null.
     */
    double[] run(List<? extends Matrices> weights, GramPenalty penalty, float beta, List<? extends Matrices> gradient) {
        try (Call call = pool.checkOut()) {
            return call.run(weights, penalty, beta, gradient);
        }
    }

    /** One call in progress, or an idle one: operands, arguments, losses, participants. */
    private final class Call implements CallPool.Work<Kernels>, ToLongFunction<BatchShape>, AutoCloseable {
        private final HostBatches w = new HostBatches(staging);
        private final HostBatches o = new HostBatches(staging);
        private final CallPool<Call, Kernels>.Participants participants = pool.participants();
        private GramPenalty penalty;
        private float beta;
        private HostBatches gradients;
        private NativePool.Lease lease;
        private double[] loss;

        double[] run(
                List<? extends Matrices> weights, GramPenalty penalty, float beta, List<? extends Matrices> gradient) {
            this.penalty = penalty;
            this.beta = beta;
            boolean accelerated = nativePool != null;
            try (NativePool.Lease lease = accelerated ? nativePool.lease() : null) {
                this.lease = lease;
                (accelerated ? w.reuseInPlace(weights) : w.reuse(weights)).planAlone(threads.threads(), this);
                if (gradient != null) {
                    gradients = accelerated
                            ? o.reuseForOutputInPlace(gradient).stageWhereOverlapping(w, NativeBlas::address)
                            : o.reuseForOutput(gradient);
                }
                loss = new double[w.count()];
                participants.run(w, this);
                if (gradients != null) {
                    gradients.flush();
                }
                return loss;
            } finally {
                w.close();
                o.close();
                this.penalty = null;
                gradients = null;
                this.lease = null;
                loss = null;
            }
        }

        /** The work of one matrix of shape {@code s} for this call's penalty, which plans the matrices alone. */
        @Override
        public long applyAsLong(BatchShape s) {
            return GramPenalties.work(penalty, s.rows(), s.cols());
        }

        /** Gives this call back to the pool, for the next caller. */
        @Override
        public void close() {
            pool.checkIn(this);
        }

        /** The penalty (and gradient) of matrix k on the kernels' {@link GramPenalties}. */
        @Override
        public void process(int k, Kernels kernels) {
            kernels.serve(lease);
            loss[k] = kernels.penalties.evaluate(k, w, gradients, penalty, beta);
        }
    }

    /** One thread's kernels: the penalties' workspace, and the native workspace of the call it serves. */
    private static final class Kernels implements CallPool.Kernels {
        private final GramPenalties penalties = new GramPenalties();
        private NativePool.Lease served;

        /** Takes a native workspace from {@code lease} on this participant's first matrix of the call. */
        void serve(NativePool.Lease lease) {
            if (lease != served) {
                served = lease;
                penalties.useWorkspace(lease == null ? null : lease.take());
            }
        }

        @Override
        public void useBlocks(CpuThreads.RowBlocks blocks) {
            penalties.useBlocks(blocks);
        }
    }
}
