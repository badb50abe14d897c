package dev.specnorm.dl4j;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spectral-norm regularizer (Yoshida &amp; Miyato 2017) as a DL4J {@code Regularization}:
 * R(W) = λ σ̂², whose gradient ∂R/∂W = 2 λ σ̂ u vᵀ (u, v constants) the library computes and this class adds
 * to the loss gradient before the updater. σ̂ = uᵀWv after {@code iterations} power iterations per training
 * step, with u, v kept per parameter across steps; the score uses the stored u, v without iterating.
 * Yoshida &amp; Miyato write (λ/2)σ²: pass λ/2 for theirs.
 *
 * <p>DL4J's updater passes a regularization the parameter flattened, so each instance is made for one
 * weight shape: {@code new DenseLayer.Builder().nIn(2).nOut(64)
 * .regularization(List.of(new SpectralRegularization(1e-3, 1, 2, 64)))}.
 */
public final class SpectralRegularization extends WeightPenalty {

    private static final long serialVersionUID = 1L;

    private final double lambda;
    private final int iterations;
    private transient Map<String, PowerState> states;

    /**
     * @param lambda      the strength λ (finite)
     * @param iterations  power iterations per training step, ≥ 1
     * @param weightShape the layer's weight shape: (nIn, nOut) for a dense layer, (out, in, kh, kw) for a
     *                    convolution
     */
    public SpectralRegularization(double lambda, int iterations, long... weightShape) {
        super(weightShape);
        if (!Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite, got " + lambda);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.lambda = lambda;
        this.iterations = iterations;
    }

    @Override
    PenaltyResult evaluate(String key, MatrixBatch weight, boolean training, MatrixBatch gradient) {
        SpectralBackend backend = SharedBackend.named("auto");
        PowerState state = stateFor(backend, key, weight);
        return backend.spectralRegularizer(
                List.of(weight),
                state,
                training ? iterations : 0,
                (float) lambda,
                gradient == null ? null : List.of(gradient));
    }

    private synchronized PowerState stateFor(SpectralBackend backend, String key, MatrixBatch weight) {
        if (states == null) {
            states = new ConcurrentHashMap<>();
        }
        PowerState state = states.get(key);
        if (state == null || !state.layout().shapes().equals(List.of(weight.shape()))) {
            state = backend.newPowerState(weight, PowerOptions.DEFAULT);
            states.put(key, state);
        }
        return state;
    }

    @Override
    public SpectralRegularization clone() {
        return new SpectralRegularization(lambda, iterations, weightShape());
    }

    @Override
    public String toString() {
        return "SpectralRegularization[lambda=" + lambda + ", iterations=" + iterations + "]";
    }
}
