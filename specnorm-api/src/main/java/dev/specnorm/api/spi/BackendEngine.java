package dev.specnorm.api.spi;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.StateLayout;
import java.util.List;

/**
 * What a backend implements: every operation of SPEC.md over a list of matrix batches. Users call
 * {@link SpectralBackend}, which validates every argument and then calls the engine, so
 * an engine may assume: lists are non-empty and null-free; operands are host
 * {@link MatrixBatch}es or open buffers of this engine; outputs have the inputs' shapes
 * and are writable; states are open, of this engine, and match the weights' layout; counts are
 * non-negative. Orthogonality penalties arrive as {@link GramPenalty}: SRIP comes as {@link #srip} and the
 * SLICES reshape as {@link GramPenalty#BIGGAN}.
 *
 * <p>Engines must be thread-safe. Results cover the flattened list: entry k belongs to the k-th matrix.
 * An engine detects non-finite values from the results it computes anyway (σ̂, losses, norms, the
 * diagonal of Gram matrices), throws {@link NonFiniteValueException} naming the matrix,
 * and commits new state only after every matrix succeeded (use
 * {@link ResultChecks}).
 */
public interface BackendEngine extends AutoCloseable {

    /** The backend's name ({@link BackendProvider#name()}). */
    String name();

    /** What it runs on: device, library versions, threads. */
    String description();

    /** A new zero-filled buffer. */
    BatchBuffer allocate(BatchShape shape);

    /**
     * Wraps memory the caller already has on the device, without copying; work on it is issued on
     * {@code stream} (0 for the default stream).
     *
     * @throws UnsupportedOperationException if the backend has no device memory
     */
    BatchBuffer wrapDevice(long address, BatchShape shape, long stream);

    /** New state of {@code layout}, holding {@code u} and {@code v} (validated lengths, finite). */
    PowerState createState(StateLayout layout, float[] u, float[] v);

    /** Exact singular values, descending, with thin U and Vᵀ when {@code vectors}. */
    List<SingularDecomposition> svd(List<? extends Matrices> weights, boolean vectors);

    /** Exact σ₁ of every matrix. */
    float[] spectralNorm(List<? extends Matrices> weights);

    /** σ₁ of every matrix by Lanczos bidiagonalization. */
    List<LanczosEstimate> lanczos(List<? extends Matrices> weights, LanczosOptions options);

    /**
     * Starts state that holds the seeded u and fallback v: v ← normalize(Wᵀu) (the fallback kept where
     * Wᵀu = 0; deflated for top-k; with G for {@link StateLayout.Operator#GRAM}), then {@code warmup}
     * iterations.
     */
    void initialize(List<? extends Matrices> weights, PowerState state, int warmup);

    /**
     * {@code iterations} power iterations (0 evaluates); returns σ̂ = uᵀWv, {@code vectors} per matrix
     * (for {@link StateLayout.Operator#GRAM} state: uᵀGv).
     */
    float[] powerIteration(List<? extends Matrices> weights, PowerState state, int iterations);

    /** Spectral normalization forward: iterates, writes Ŵ = W / max(σ̂, eps) to {@code out}, returns σ̂. */
    float[] normalize(List<? extends Matrices> weights, PowerState state, int iterations, List<? extends Matrices> out);

    /** Spectral normalization backward: out = (G − ⟨G, Ŵ⟩ u vᵀ)/σ̂, or G/eps when σ̂ ≤ eps, u, v as stored. */
    void normalizeBackward(
            List<? extends Matrices> weights,
            PowerState state,
            List<? extends Matrices> gradOutput,
            List<? extends Matrices> out);

    /** R = λσ̂² after {@code iterations}; writes 2λσ̂ u vᵀ to {@code gradient} unless it is null. */
    PenaltyResult spectralRegularizer(
            List<? extends Matrices> weights,
            PowerState state,
            int iterations,
            float lambda,
            List<? extends Matrices> gradient);

    /** A Gram penalty; writes ∂R/∂W = {@code penalty.gradientCoefficient(beta)}·M·W to {@code gradient} unless it is null. */
    PenaltyResult orthogonalPenalty(
            List<? extends Matrices> weights, GramPenalty penalty, float beta, List<? extends Matrices> gradient);

    /** SRIP with {@link StateLayout.Operator#GRAM} state iterated {@code iterations} times first. */
    PenaltyResult srip(
            List<? extends Matrices> weights,
            PowerState state,
            int iterations,
            float beta,
            List<? extends Matrices> gradient);

    /** Releases the engine's resources; idempotent. */
    @Override
    void close();
}
