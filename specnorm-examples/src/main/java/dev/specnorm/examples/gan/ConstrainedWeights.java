package dev.specnorm.examples.gan;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Constraint} applied to an MLP's weights through the library, all layers in one call each:
 * {@link #matrices()} gives the matrices the forward pass uses (Ŵ = W/σ̂ after one power iteration under
 * {@code sn}, else W itself), and {@link #finish()}, after the backward pass, turns the layers' gradients
 * into ∂L/∂W: the SN backward (G − ⟨G, Ŵ⟩uvᵀ)/σ̂ under {@code sn}, plus the penalty's gradient under the
 * others; it returns the penalty's value.
 */
public final class ConstrainedWeights implements AutoCloseable {

    private final SpectralBackend backend;
    private final Constraint constraint;
    private final float strength;
    private final List<DenseLayer> layers;
    private final List<MatrixBatch> weights = new ArrayList<>();
    private final List<float[]> normalized = new ArrayList<>();
    private final List<MatrixBatch> normalizedBatches = new ArrayList<>();
    private final List<MatrixBatch> scratch = new ArrayList<>();
    private final PowerState state;
    private float[] sigma;

    /** Wraps {@code mlp}'s weights (views: optimizer updates are seen) with {@code constraint} of {@code strength}. */
    public ConstrainedWeights(SpectralBackend backend, Constraint constraint, double strength, Mlp mlp, long seed) {
        this.backend = backend;
        this.constraint = constraint;
        this.strength = (float) strength;
        this.layers = mlp.layers();
        for (DenseLayer d : layers) {
            weights.add(MatrixBatch.of(d.weight(), d.outputs(), d.inputs()));
            float[] n = new float[d.weight().length];
            normalized.add(n);
            normalizedBatches.add(MatrixBatch.of(n, d.outputs(), d.inputs()));
            scratch.add(MatrixBatch.zeros(weights.get(weights.size() - 1).shape()));
        }
        PowerOptions options = PowerOptions.DEFAULT.withSeed(seed);
        state = switch (constraint) {
            case SN, SNREG -> backend.newPowerState(weights, options);
            case SRIP -> backend.newSripState(weights, options);
            default -> null;
        };
    }

    /** The matrices the forward pass uses, layer by layer (Ŵ under sn: one power iteration each call). */
    public List<float[]> matrices() {
        if (constraint != Constraint.SN) {
            List<float[]> own = new ArrayList<>();
            layers.forEach(d -> own.add(d.weight()));
            return own;
        }
        sigma = backend.normalize(weights, state, 1, normalizedBatches);
        return normalized;
    }

    /**
     * The matrices the last forward pass used, without a new power iteration (under sn: the Ŵ of the last
     * {@link #matrices()}, computed first if there was none).
     */
    public List<float[]> current() {
        return constraint != Constraint.SN || sigma == null ? matrices() : normalized;
    }

    /** σ̂ of every layer at the last {@link #matrices()} under sn (null otherwise). */
    public float[] sigma() {
        return sigma;
    }

    /** Turns the accumulated gradients into ∂L/∂W (see the class comment); returns the penalty's value. */
    public double finish() {
        switch (constraint) {
            case SN -> {
                List<MatrixBatch> g = new ArrayList<>();
                for (DenseLayer d : layers) {
                    g.add(MatrixBatch.of(toFloat(d.weightGradient()), d.outputs(), d.inputs()));
                }
                backend.normalizeBackward(weights, state, g, scratch);
                for (int l = 0; l < layers.size(); l++) {
                    float[] s = scratch.get(l).array();
                    double[] w = layers.get(l).weightGradient();
                    for (int i = 0; i < w.length; i++) {
                        w[i] = s[i];
                    }
                }
                return 0;
            }
            case SNREG -> {
                return add(backend.spectralRegularizer(weights, state, 1, strength, scratch));
            }
            case BIGGAN, SOFT -> {
                return add(backend.orthogonalPenalty(
                        weights, constraint == Constraint.BIGGAN ? Penalty.BIGGAN : Penalty.SOFT, strength, scratch));
            }
            case SRIP -> {
                return add(backend.srip(weights, state, 2, strength, scratch));
            }
            default -> {
                return 0;
            }
        }
    }

    private double add(PenaltyResult r) {
        for (int l = 0; l < layers.size(); l++) {
            float[] s = scratch.get(l).array();
            double[] w = layers.get(l).weightGradient();
            for (int i = 0; i < w.length; i++) {
                w[i] += s[i];
            }
        }
        return r.loss();
    }

    /** x rounded to float32, element by element (the library takes float32 gradients). */
    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    @Override
    public void close() {
        if (state != null) {
            state.close();
        }
    }
}
