package dev.specnorm.cpu;

import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.spi.GolubKahanLanczos;
import java.util.List;

/**
 * The Lanczos calls of one {@link CpuEngine}, kept from call to call in a {@link CallPool} so that a call in
 * the steady state allocates nothing but the estimates it returns (and their list):
 * <ul>
 *   <li>{@link Call}s, checked out for the length of one call: the operands' {@link HostBatches} (index and
 *       arrays kept while the operand list keeps its shapes), the call's options and results, and its
 *       {@link CallPool.Participants};</li>
 *   <li>the {@link Kernels} of each participant (the calling thread's of a call, each worker's): a
 *       {@link GolubKahanLanczos} with its float64 bases and an {@link ArrayOperator}.</li>
 * </ul>
 * Thread safety: a checked-out call belongs to its caller alone, so callers on several user threads at once
 * never share one (nor its participant, nor its estimator); a worker runs one helper task at a time, so its
 * participant serves one call at a time too. What is kept between calls is bounded by the largest matrix
 * processed: each participant's estimator keeps 8·(s + 1)(m + n) bytes of bases for the largest m + n and
 * s = min(maxSteps, n, or m + 1 when m &lt; n) it was asked (about 5 MB for a 1024×1024 matrix at the default
 * 300 steps), for at most {@value CallPool#KEPT} idle calls and one participant per worker. References to the
 * operands and the options are dropped when a call ends. Everything is owned by the engine (no
 * thread-locals), so it goes when the engine does.
 */
final class LanczosCalls {

    private final CpuThreads threads;
    private final Staging staging;
    private final CallPool<Call, Kernels> pool;

    LanczosCalls(CpuThreads threads, Staging staging) {
        this.threads = threads;
        this.staging = staging;
        this.pool = new CallPool<>(threads, Call::new, Kernels::new);
    }

    /** σ̂₁ of every matrix of {@code weights}, each estimated on a participant; a new list. */
    List<LanczosEstimate> run(List<? extends Matrices> weights, LanczosOptions options) {
        try (Call call = pool.checkOut()) {
            return call.run(weights, options);
        }
    }

    /** One call in progress, or an idle one: operands, options, results, participants. */
    private final class Call implements CallPool.Work<Kernels>, AutoCloseable {
        private final HostBatches w = new HostBatches(staging);
        private final CallPool<Call, Kernels>.Participants participants = pool.participants();

        private LanczosOptions options;
        private LanczosEstimate[] estimates;

        List<LanczosEstimate> run(List<? extends Matrices> weights, LanczosOptions options) {
            this.options = options;
            try {
                w.reuse(weights).planAlone(threads.threads());
                estimates = new LanczosEstimate[w.count()];
                participants.run(w, this);
                return List.of(estimates);
            } finally {
                w.close();
                this.options = null;
                estimates = null;
            }
        }

        /** Gives this call back to the pool, for the next caller. */
        @Override
        public void close() {
            pool.checkIn(this);
        }

        /** Matrix k by the kernels' estimator on their operator (bound to it here). */
        @Override
        public void process(int k, Kernels kernels) {
            ArrayOperator operator = kernels.operator;
            operator.bind(w.data(k), w.offset(k), w.rows(k), w.cols(k));
            try {
                estimates[k] = kernels.lanczos.estimate(k, operator, options);
            } finally {
                operator.unbind();
            }
        }
    }

    /** One thread's kernels: the estimator with its bases, and the operator it multiplies with. */
    private static final class Kernels implements CallPool.Kernels {
        private final GolubKahanLanczos lanczos = new GolubKahanLanczos();
        private final ArrayOperator operator = new ArrayOperator();

        @Override
        public void useBlocks(CpuThreads.RowBlocks blocks) {
            operator.useBlocks(blocks);
        }
    }
}
