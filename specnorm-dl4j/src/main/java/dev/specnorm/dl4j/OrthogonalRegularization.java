package dev.specnorm.dl4j;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An orthogonality penalty (SPEC.md table) as a DL4J {@code Regularization}: with A = W Wᵀ on the weight
 * with rows as output units, {@code biggan} R = β‖A ⊙ (1 − I)‖²_F, {@code soft} β‖A − I‖²_F,
 * {@code double-soft} β(‖WWᵀ − I‖²_F + ‖WᵀW − I‖²_F), {@code l1} β Σ|A − I|ᵢⱼ, {@code srip} β uᵀGv on the
 * smaller Gram minus I, with u, v kept per parameter and one power iteration per training step after the
 * seeded warm-up (Bansal et al. restart from a fresh vector each step instead). The library computes R and ∂R/∂W; this class adds ∂R/∂W to the loss
 * gradient before the updater. {@code slices} is not offered here: it needs the SLICES reshape of a
 * convolution, not a matrix.
 *
 * <p>One instance per weight shape (DL4J's updater passes the parameter flattened):
 * {@code .regularization(List.of(new OrthogonalRegularization(Penalty.SOFT, 1e-4, 64, 64)))}.
 */
public final class OrthogonalRegularization extends WeightPenalty {

    private static final long serialVersionUID = 1L;

    private final Penalty penalty;
    private final double beta;
    private transient Map<String, PowerState> sripStates;

    /**
     * @param penalty any of {@link Penalty} but {@link Penalty#SLICES}
     * @param beta    the strength β (finite)
     * @param weightShape the layer's weight shape: (nIn, nOut) dense, (out, in, kh, kw) convolution
     */
    public OrthogonalRegularization(Penalty penalty, double beta, long... weightShape) {
        super(weightShape);
        this.penalty = Objects.requireNonNull(penalty, "penalty");
        if (penalty == Penalty.SLICES) {
            throw new IllegalArgumentException("penalty slices needs the SLICES reshape of a convolution weight;"
                    + " use biggan on a dense weight");
        }
        if (!Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite, got " + beta);
        }
        this.beta = beta;
    }

    @Override
    PenaltyResult evaluate(String key, MatrixBatch weight, boolean training, MatrixBatch gradient) {
        SpectralBackend backend = SharedBackend.named("auto");
        List<MatrixBatch> g = gradient == null ? null : List.of(gradient);
        if (penalty != Penalty.SRIP) {
            return backend.orthogonalPenalty(List.of(weight), penalty, (float) beta, g);
        }
        return backend.srip(List.of(weight), sripState(backend, key, weight), training ? 1 : 0, (float) beta, g);
    }

    private synchronized PowerState sripState(SpectralBackend backend, String key, MatrixBatch weight) {
        if (sripStates == null) {
            sripStates = new ConcurrentHashMap<>();
        }
        PowerState state = sripStates.get(key);
        if (state == null || !state.layout().shapes().equals(List.of(weight.shape()))) {
            state = backend.newSripState(List.of(weight), PowerOptions.DEFAULT);
            sripStates.put(key, state);
        }
        return state;
    }

    @Override
    public OrthogonalRegularization clone() {
        return new OrthogonalRegularization(penalty, beta, weightShape());
    }

    @Override
    public String toString() {
        return "OrthogonalRegularization[" + penalty.cliName() + ", beta=" + beta + "]";
    }
}
