package dev.specnorm.api.spi;

import dev.specnorm.api.Matrices;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.SingularDecomposition;
import java.util.List;
import java.util.Objects;

/**
 * The part of every engine that users observe the same way on every backend: the backend's name, the
 * exact spectral norm σ₁ = ‖W‖₂ taken as the first singular value of {@link #svd}, and a Gram penalty's
 * result, R = Σₖ Rₖ summed in double precision and rounded once, every term and the total checked finite
 * ({@link ResultChecks#penaltyFromTerms}). A backend supplies the per-matrix terms
 * ({@link #gramPenaltyTerms}) and everything else of {@link BackendEngine}.
 */
public abstract class AbstractEngine implements BackendEngine {

    private final String name;

    /** For backends: an engine of backend {@code name} ({@link BackendProvider#name()}). */
    protected AbstractEngine(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public final String name() {
        return name;
    }

    /** σ₁ of every matrix: the first singular value of {@link #svd} without vectors. */
    @Override
    public final float[] spectralNorm(List<? extends Matrices> weights) {
        List<SingularDecomposition> all = svd(weights, false);
        float[] sigma = new float[all.size()];
        for (int k = 0; k < sigma.length; k++) {
            sigma[k] = all.get(k).sigma1();
        }
        return sigma;
    }

    /** The penalty of every matrix from {@link #gramPenaltyTerms}, as one checked result. */
    @Override
    public final PenaltyResult orthogonalPenalty(
            List<? extends Matrices> weights, GramPenalty penalty, float beta, List<? extends Matrices> gradient) {
        return ResultChecks.penaltyFromTerms(gramPenaltyTerms(weights, penalty, beta, gradient));
    }

    /**
     * Rₖ = β·(the penalty of matrix k) in float64, each checked to fit float32, with
     * ∂R/∂W = {@code penalty.gradientCoefficient(beta)}·M·W written to {@code gradient} unless it is null.
     */
    protected abstract double[] gramPenaltyTerms(
            List<? extends Matrices> weights, GramPenalty penalty, float beta, List<? extends Matrices> gradient);
}
