package dev.specnorm.dl4j;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J {@link LayerConstraint} that projects each constrained weight to spectral norm at most K after
 * every parameter update: W ← W · K / σ when σ &gt; K, else W unchanged.
 *
 * <p>σ is either exact (the backend's SVD-based spectral norm) or the power-iteration estimate
 * σ̂ = uᵀWv after {@code iterations} iterations (v ← normalize(Wᵀu), u ← normalize(Wv)) with u, v kept per
 * layer and parameter across updates, seeded and warmed up as SPEC.md specifies. The matrix is the
 * weight with rows as output units (dense: nOut × nIn; convolution: out × in·kh·kw), read in place from
 * ND4J's memory when it is a contiguous float array ({@link NdMatrices}); the scaling is done by ND4J in
 * place.
 *
 * <p>Use: {@code new DenseLayer.Builder().nIn(2).nOut(32).constrainWeights(SpectralNormConstraint.powerIteration(1.0, 1))}.
 */
public final class SpectralNormConstraint implements LayerConstraint {

    private static final long serialVersionUID = 1L;

    private final double bound;
    /** Power iterations per update; -1 for the exact σ₁. */
    private final int iterations;

    private final String backendName;
    private Set<String> params = Set.of();
    private transient Map<String, PowerState> states = new ConcurrentHashMap<>();

    private SpectralNormConstraint(double bound, int iterations, String backendName) {
        if (!(bound > 0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException("bound K must be finite and > 0, got " + bound);
        }
        this.bound = bound;
        this.iterations = iterations;
        this.backendName = Objects.requireNonNull(backendName, "backendName");
    }

    /** σ₁ ≤ K with σ₁ from an exact SVD on the automatically chosen backend. */
    public static SpectralNormConstraint exact(double bound) {
        return new SpectralNormConstraint(bound, -1, "auto");
    }

    /**
     * σ̂ ≤ K with σ̂ from {@code iterations} power iterations per update (≥ 1; state persists across
     * updates) on the automatically chosen backend.
     */
    public static SpectralNormConstraint powerIteration(double bound, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        return new SpectralNormConstraint(bound, iterations, "auto");
    }

    /** The same constraint computed on the backend named {@code name} (as {@code Backends.open(name)}). */
    public SpectralNormConstraint onBackend(String name) {
        SpectralNormConstraint c = new SpectralNormConstraint(bound, iterations, name);
        c.params = params;
        return c;
    }

    /** The bound K. */
    public double bound() {
        return bound;
    }

    @Override
    public void applyConstraint(Layer layer, int iteration, int epoch) {
        for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
            if (params.contains(p.getKey())) {
                project(layer.getIndex() + "/" + p.getKey(), p.getValue());
            }
        }
    }

    /** Projects {@code weight} in place; {@code key} names its persistent power-iteration state. */
    void project(String key, INDArray weight) {
        boolean inPlace = NdMatrices.isWrappable(weight);
        MatrixBatch w = NdMatrices.wrap(inPlace ? weight : NdMatrices.copyOf(weight));
        double sigma = sigma(key, w);
        if (sigma > bound) {
            weight.muli(bound / sigma);
        }
    }

    private double sigma(String key, MatrixBatch w) {
        SpectralBackend backend = SharedBackend.named(backendName);
        if (iterations < 0) {
            return backend.spectralNorm(w)[0];
        }
        PowerState state = states().get(key);
        if (state == null || !state.layout().shapes().equals(List.of(w.shape()))) {
            state = backend.newPowerState(w, PowerOptions.DEFAULT);
            states().put(key, state);
        }
        return backend.powerIteration(w, state, iterations)[0];
    }

    private Map<String, PowerState> states() {
        if (states == null) {
            states = new ConcurrentHashMap<>();
        }
        return states;
    }

    @Override
    public void setParams(Set<String> params) {
        this.params = Set.copyOf(params);
    }

    @Override
    public Set<String> getParams() {
        return params;
    }

    /** A copy with the same bound, iterations and parameters, and fresh power-iteration state. */
    @Override
    public SpectralNormConstraint clone() {
        return onBackend(backendName);
    }

    @Override
    public String toString() {
        return "SpectralNormConstraint[K=" + bound + ", " + (iterations < 0 ? "exact" : iterations + " iterations")
                + ", params=" + params + "]";
    }
}
