package dev.specnorm.examples.gan;

import java.util.Arrays;

/**
 * A fully connected layer y = x Wᵀ + b for a batch of rows x (B×in), with W out×in stored row-major in
 * float32 (the layout the library's {@code MatrixBatch.of(weight, out, in)} reads, so W can be spectrally
 * normalized or penalized in place) and activations in float64. The forward pass may use another matrix
 * of W's shape (Ŵ = W/σ̂ under spectral normalization); the backward pass returns ∂L/∂x and accumulates
 * ∂L/∂(matrix used) and ∂L/∂b:
 * ∂L/∂W = (∂L/∂y)ᵀ x, ∂L/∂b = Σ_rows ∂L/∂y, ∂L/∂x = (∂L/∂y) W.
 */
public final class DenseLayer {

    private final int in;
    private final int out;
    private final float[] weight;
    private final float[] bias;
    private final double[] weightGrad;
    private final double[] biasGrad;
    private double[] input = new double[0];
    private float[] used;
    private int batch;

    /**
     * A layer with weights N(0, gain²·2/in) drawn from {@code gaussian} (He et al. 2015) and zero bias.
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public DenseLayer(int in, int out, java.util.function.DoubleSupplier gaussian, double gain) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("layer sizes must be at least 1, got " + in + "→" + out);
        }
        this.in = in;
        this.out = out;
        weight = new float[out * in];
        double scale = gain * Math.sqrt(2.0 / in);
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (scale * gaussian.getAsDouble());
        }
        bias = new float[out];
        weightGrad = new double[out * in];
        biasGrad = new double[out];
    }

    public int inputs() {
        return in;
    }

    public int outputs() {
        return out;
    }

    /** The parameter W (out×in, row-major), modified in place by the optimizer. */
    public float[] weight() {
        return weight;
    }

    /** The parameter b. */
    public float[] bias() {
        return bias;
    }

    /** ∂L/∂(the matrix used in forward), accumulated since {@link #zeroGradients()}. */
    public double[] weightGradient() {
        return weightGrad;
    }

    /** ∂L/∂b, accumulated since {@link #zeroGradients()}. */
    public double[] biasGradient() {
        return biasGrad;
    }

    /** Clears the accumulated gradients. */
    public void zeroGradients() {
        Arrays.fill(weightGrad, 0);
        Arrays.fill(biasGrad, 0);
    }

    /** y = x Wᵀ + b with W itself. */
    public double[] forward(double[] x, int rows) {
        return forward(x, rows, weight);
    }

    /** y = x Mᵀ + b with {@code matrix} (out×in) in place of W; x is rows×in. */
    public double[] forward(double[] x, int rows, float[] matrix) {
        if (x.length != rows * in || matrix.length != weight.length) {
            throw new IllegalArgumentException("input " + x.length + " ≠ " + rows + "×" + in + " or matrix "
                    + matrix.length + " ≠ " + out + "×" + in);
        }
        input = x.clone();
        used = matrix;
        batch = rows;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                int wo = o * in;
                int xo = r * in;
                for (int i = 0; i < in; i++) {
                    s += matrix[wo + i] * x[xo + i];
                }
                y[r * out + o] = s;
            }
        }
        return y;
    }

    /** Accumulates ∂L/∂M and ∂L/∂b for ∂L/∂y = {@code gy} (rows×out) and returns ∂L/∂x. */
    public double[] backward(double[] gy) {
        if (gy.length != batch * out) {
            throw new IllegalArgumentException("gradient " + gy.length + " ≠ " + batch + "×" + out);
        }
        double[] gx = new double[batch * in];
        for (int r = 0; r < batch; r++) {
            for (int o = 0; o < out; o++) {
                double g = gy[r * out + o];
                if (g == 0) {
                    continue;
                }
                biasGrad[o] += g;
                int wo = o * in;
                int xo = r * in;
                for (int i = 0; i < in; i++) {
                    weightGrad[wo + i] += g * input[xo + i];
                    gx[xo + i] += g * used[wo + i];
                }
            }
        }
        return gx;
    }
}
