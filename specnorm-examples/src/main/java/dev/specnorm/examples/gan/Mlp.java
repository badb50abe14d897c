package dev.specnorm.examples.gan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * A multilayer perceptron: dense layers with a leaky rectifier between them and none after the last,
 * f(x) = W_L σ(… σ(W_1 x + b_1) …) + b_L. The forward pass may use other matrices than the layers' own
 * weights (the spectrally normalized Ŵ); the backward pass accumulates the gradients with respect to the
 * matrices used.
 */
public final class Mlp {

    private final List<DenseLayer> layers = new ArrayList<>();
    private final List<LeakyRelu> activations = new ArrayList<>();

    /**
     * Layers of the given widths, e.g. {@code (2, 128, 128, 128, 1)}; weights from {@code gaussian}.
     *
     * @throws IllegalArgumentException with fewer than two widths
     */
    public Mlp(int[] widths, double slope, DoubleSupplier gaussian) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output width");
        }
        for (int i = 0; i + 1 < widths.length; i++) {
            layers.add(new DenseLayer(widths[i], widths[i + 1], gaussian, 1.0));
            if (i + 2 < widths.length) {
                activations.add(new LeakyRelu(slope));
            }
        }
    }

    /** The dense layers, input first. */
    public List<DenseLayer> layers() {
        return layers;
    }

    /** f(x) for rows×in inputs, with {@code matrices.get(l)} in place of layer l's weight (null: its own). */
    public double[] forward(double[] x, int rows, List<float[]> matrices) {
        double[] h = x;
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer d = layers.get(l);
            float[] m = matrices == null ? d.weight() : matrices.get(l);
            h = d.forward(h, rows, m);
            if (l < activations.size()) {
                h = activations.get(l).forward(h);
            }
        }
        return h;
    }

    /** Accumulates every layer's gradients for ∂L/∂f = gy and returns ∂L/∂x. */
    public double[] backward(double[] gy) {
        double[] g = gy;
        for (int l = layers.size() - 1; l >= 0; l--) {
            if (l < activations.size()) {
                g = activations.get(l).backward(g);
            }
            g = layers.get(l).backward(g);
        }
        return g;
    }

    /** Clears every layer's gradients. */
    public void zeroGradients() {
        layers.forEach(DenseLayer::zeroGradients);
    }
}
