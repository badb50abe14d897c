package dev.specnorm.examples.gan;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains the {@link SnCnnDiscriminator} alone, with spectral normalization on every layer computed by the
 * library (Miyato et al. 2018): each step draws a {@link SyntheticImages} batch, computes
 * Ŵₗ = Wₗ/σ̂ₗ for all eight layers in one call (one power iteration each, persistent u, v), runs the forward
 * and backward passes with Ŵ, the logistic loss L = mean over images of softplus(−D(x)) for real and
 * softplus(D(x)) for fake (Goodfellow et al. 2014), turns ∂L/∂Ŵ into ∂L/∂W with the library's SN backward
 * (G − ⟨G, Ŵ⟩uvᵀ)/σ̂ in one call, and updates W and b with Adam (β₁ = 0.5, β₂ = 0.999). Each step's time is
 * split into convolution work (forward and backward of the layers), SN work (the two library calls) and
 * the rest (data, loss, Adam).
 */
public final class DiscriminatorTrainer implements AutoCloseable {

    /**
     * One step.
     *
     * @param loss     L on the step's batch (before the update)
     * @param accuracy share of images on the right side of D(x) = 0
     * @param convMs   convolution and dense work, forward and backward
     * @param snMs     the library's SN forward and backward
     * @param otherMs  data, loss and Adam
     */
    public record Step(int step, double loss, double accuracy, double convMs, double snMs, double otherMs) {}

    /**
     * After training, one layer: σ̂ from the stored power-iteration state (uᵀWv, no iteration), the exact
     * σ(W), and the exact σ of the normalized weight W/σ̂.
     */
    public record LayerReport(String name, int rows, int cols, float sigmaHat, float sigma, float normalizedSigma) {

        /** (σ − σ̂)/σ. */
        public double relativeError() {
            return (sigma - (double) sigmaHat) / sigma;
        }
    }

    private final SpectralBackend backend;
    private final SnCnnDiscriminator net;
    private final int batch;
    private final Random random;
    private final List<MatrixBatch> weights;
    private final List<float[]> normalized = new ArrayList<>();
    private final List<MatrixBatch> normalizedBatches;
    private final List<MatrixBatch> gradients = new ArrayList<>();
    private final List<MatrixBatch> scratch = new ArrayList<>();
    private final List<Adam> optimizers = new ArrayList<>();
    private final PowerState state;
    private int steps;

    /**
     * A trainer of a fresh network ({@code divisor} divides its channel counts) on batches of {@code batch}.
     *
     * @throws IllegalArgumentException for a batch below 2 or a non-positive rate
     */
    public DiscriminatorTrainer(SpectralBackend backend, int divisor, int batch, double rate, long seed) {
        if (batch < 2 || !(rate > 0)) {
            throw new IllegalArgumentException(
                    "need a batch of at least 2 and a positive rate, got " + batch + ", " + rate);
        }
        this.backend = backend;
        this.net = new SnCnnDiscriminator(divisor, seed);
        this.batch = batch;
        this.random = new Random(seed + 1);
        weights = net.matrices();
        for (float[] w : net.weights()) {
            normalized.add(new float[w.length]);
            gradients.add(null);
            optimizers.add(new Adam(w.length, rate, 0.5, 0.999, 1e-8));
        }
        for (float[] b : net.biases()) {
            optimizers.add(new Adam(b.length, rate, 0.5, 0.999, 1e-8));
        }
        normalizedBatches = net.matrices(normalized);
        for (MatrixBatch w : weights) {
            scratch.add(MatrixBatch.zeros(w.shape()));
        }
        state = backend.newPowerState(weights, PowerOptions.DEFAULT.withSeed(seed));
    }

    /** The network. */
    public SnCnnDiscriminator network() {
        return net;
    }

    /** The matrices of the last forward pass, Ŵₗ = Wₗ/σ̂ₗ. */
    public List<float[]> normalized() {
        return normalized;
    }

    /** The power-iteration state (u, v of every layer). */
    public PowerState state() {
        return state;
    }

    /** One training step on a fresh batch. */
    public Step step() {
        long t0 = System.nanoTime();
        SyntheticImages.Batch data = SyntheticImages.batch(batch, random);
        long t1 = System.nanoTime();
        normalizeWeights();
        long t2 = System.nanoTime();
        double[] logits = net.forward(data.images(), batch, normalized);
        long t3 = System.nanoTime();
        double[] g = new double[batch];
        double loss = loss(logits, data.labels(), g);
        long t4 = System.nanoTime();
        net.zeroGradients();
        net.backward(g);
        long t5 = System.nanoTime();
        snBackward();
        long t6 = System.nanoTime();
        update();
        long t7 = System.nanoTime();
        int right = 0;
        for (int i = 0; i < batch; i++) {
            right += (logits[i] > 0) == (data.labels()[i] == 1) ? 1 : 0;
        }
        steps++;
        return new Step(
                steps,
                loss,
                right / (double) batch,
                ms(t3 - t2 + t5 - t4),
                ms(t2 - t1 + t6 - t5),
                ms(t1 - t0 + t4 - t3 + t7 - t6));
    }

    /** Ŵₗ = Wₗ/σ̂ₗ for every layer in one library call (one power iteration); returns σ̂. */
    float[] normalizeWeights() {
        return backend.normalize(weights, state, 1, normalizedBatches);
    }

    /**
     * The logistic loss of {@code logits} for {@code labels} (1 real, 0 fake), mean over the batch; writes
     * ∂L/∂D into {@code gradient}.
     */
    static double loss(double[] logits, double[] labels, double[] gradient) {
        int n = logits.length;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double t = logits[i];
            boolean real = labels[i] == 1;
            loss += (real ? GanLoss.softplus(-t) : GanLoss.softplus(t)) / n;
            gradient[i] = (real ? -GanLoss.sigmoid(-t) : GanLoss.sigmoid(t)) / n;
        }
        return loss;
    }

    /** Replaces the accumulated ∂L/∂Ŵ of every layer by ∂L/∂W, the library's SN backward, in one call. */
    void snBackward() {
        List<double[]> grads = net.weightGradients();
        for (int l = 0; l < grads.size(); l++) {
            gradients.set(
                    l,
                    MatrixBatch.of(
                            ConstrainedWeights.toFloat(grads.get(l)),
                            weights.get(l).shape().rows(),
                            weights.get(l).shape().cols()));
        }
        backend.normalizeBackward(weights, state, gradients, scratch);
        for (int l = 0; l < grads.size(); l++) {
            float[] s = scratch.get(l).array();
            double[] w = grads.get(l);
            for (int i = 0; i < w.length; i++) {
                w[i] = s[i];
            }
        }
    }

    /** One Adam update of every weight and bias with the accumulated gradients. */
    void update() {
        int layers = net.weights().size();
        for (int l = 0; l < layers; l++) {
            optimizers.get(l).step(net.weights().get(l), net.weightGradients().get(l));
            optimizers
                    .get(layers + l)
                    .step(net.biases().get(l), net.biasGradients().get(l));
        }
    }

    /** Per layer: σ̂ = uᵀWv from the stored state, exact σ(W), exact σ(W/σ̂) (all by the library). */
    public List<LayerReport> layerReport() {
        float[] sigmaHat = backend.powerIteration(weights, state, 0);
        float[] sigma = backend.spectralNorm(weights);
        List<MatrixBatch> scaled = new ArrayList<>();
        for (int l = 0; l < weights.size(); l++) {
            float[] w = net.weights().get(l);
            float[] s = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                s[i] = w[i] / sigmaHat[l];
            }
            scaled.add(MatrixBatch.of(
                    s, weights.get(l).shape().rows(), weights.get(l).shape().cols()));
        }
        float[] normalizedSigma = backend.spectralNorm(scaled);
        List<LayerReport> out = new ArrayList<>();
        for (int l = 0; l < weights.size(); l++) {
            out.add(new LayerReport(
                    net.names().get(l),
                    weights.get(l).shape().rows(),
                    weights.get(l).shape().cols(),
                    sigmaHat[l],
                    sigma[l],
                    normalizedSigma[l]));
        }
        return out;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    @Override
    public void close() {
        state.close();
    }
}
